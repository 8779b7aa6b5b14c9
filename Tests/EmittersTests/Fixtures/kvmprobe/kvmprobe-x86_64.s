# The guest launch.sh and qemu-guest boot under KVM before they use it (x86_64): a multiboot
# (v1) kernel in the a.out-kludge form, so QEMU's -kernel loads the raw bytes at 1 MiB. Like
# Unikraft's boot code it turns on SSE and loads MXCSR (a nested KVM that cannot run Unikraft
# fails right there with "KVM internal error ... emulation failure"), then writes 41 to
# isa-debug-exit at 0x501: QEMU exits with 83. The bytes are in
# Sources/Emitters/KVMProbe.swift; KVMProbeTests assembles this file and compares.
# as --32 kvmprobe-x86_64.s -o x.o && objcopy -O binary x.o x.bin
.code32
.org 0
.long 0x1BADB002, 0x00010000, -(0x1BADB002 + 0x00010000)   # magic, flags (load addresses given), checksum
.long 0x100000, 0x100000, 0, 0, 0x100020                    # header, load, load end (file), bss end, entry
.org 0x20
    mov %cr4, %eax
    or $0x600, %eax                                        # OSFXSR | OSXMMEXCPT
    mov %eax, %cr4
    ldmxcsr 0x100000 + mxcsr
    mov $0x501, %dx
    mov $41, %al
    out %al, %dx
1:  hlt
    jmp 1b
mxcsr: .long 0x1f80
