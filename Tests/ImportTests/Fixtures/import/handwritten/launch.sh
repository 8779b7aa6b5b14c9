#!/bin/sh
# Runs the app with a 9p share, an environment variable and a bridge.
qemu-system-x86_64 -enable-kvm -m 256M -smp 2 \
    -fsdev local,id=myid,path=$(pwd)/guest_fs,security_model=none \
    -device virtio-9p-pci,fsdev=myid,mount_tag=fs0,disable-modern=on,disable-legacy=off \
    -kernel build/app_qemu-x86_64 \
    -append "app_qemu-x86_64 netdev.ip=10.0.0.2/24:10.0.0.1 vfs.fstab=[ \"fs0:/:9pfs:::\" ] env.vars=[ \"A=hello world\" ] -- -v 'x y'" \
    -netdev bridge,id=en0,br=virbr0 -device virtio-net-pci,netdev=en0 \
    -nographic
