set -x KERNEL build/app_qemu-x86_64
qemu-system-x86_64 -kernel $KERNEL -m 64
