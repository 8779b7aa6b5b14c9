// The guest launch.sh and qemu-guest boot under KVM before they use it (arm64): QEMU's virt
// loads the raw bytes as a kernel; the guest powers off through PSCI SYSTEM_OFF (QEMU exits
// with 0). The bytes are in Sources/Emitters/KVMProbe.swift; KVMProbeTests assembles this
// file and compares.
// aarch64-linux-gnu-as kvmprobe-arm64.s -o a.o && aarch64-linux-gnu-objcopy -O binary a.o a.bin
    movz w0, #0x0008
    movk w0, #0x8400, lsl #16                              // PSCI SYSTEM_OFF
    hvc #0
1:  b 1b
