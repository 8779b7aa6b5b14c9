/*
 * A test kernel for qemu-guest: a multiboot (v1) ELF32 for QEMU x86's -kernel. It prints
 * its command line on COM1, then a newline, and leaves QEMU through isa-debug-exit
 * (iobase 0x501): it writes 42 when the command line contains "exit=crash" (QEMU exits
 * with 42 << 1 | 1 = 85, like a Unikraft crash), else 41 (QEMU exits with 83, a halt).
 * QEMU's multiboot command line is the -kernel path, a space, then the -append string.
 * Built by Tests/EmittersTests/Support/TestKernel.swift; no binary is committed.
 */

#define MULTIBOOT_MAGIC 0x1BADB002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MULTIBOOT_INFO_CMDLINE 0x4u
#define COM1 0x3F8
#define DEBUG_EXIT 0x501

/* Flags 0: no alignment or memory map requests; QEMU loads the ELF's segments. */
__attribute__((section(".multiboot"), aligned(4), used))
static const unsigned int multiboot_header[3] = {MULTIBOOT_MAGIC, 0, -MULTIBOOT_MAGIC};

struct multiboot_info {
    unsigned int flags, mem_lower, mem_upper, boot_device, cmdline;
};

unsigned char testkernel_stack[4096] __attribute__((aligned(16)));

static inline void outb(unsigned short port, unsigned char value) {
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline unsigned char inb(unsigned short port) {
    unsigned char value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static void serial_put(char c) {
    while (!(inb(COM1 + 5) & 0x20)) { /* wait until the transmitter is empty */ }
    outb(COM1, (unsigned char)c);
}

static int contains(const char *text, const char *word) {
    for (; *text; text++) {
        const char *a = text, *b = word;
        while (*b && *a == *b) { a++; b++; }
        if (!*b) return 1;
    }
    return 0;
}

void testkernel_main(unsigned int magic, const struct multiboot_info *info) {
    const char *cmdline = "";
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC && (info->flags & MULTIBOOT_INFO_CMDLINE))
        cmdline = (const char *)info->cmdline;
    for (const char *p = cmdline; *p; p++) serial_put(*p);
    serial_put('\n');
    outb(DEBUG_EXIT, contains(cmdline, "exit=crash") ? 42 : 41);
}

/* Entry: the boot loader leaves its magic in eax, the info pointer in ebx, and no stack. */
__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "    movl $testkernel_stack + 4096, %esp\n"
    "    pushl %ebx\n"
    "    pushl %eax\n"
    "    call testkernel_main\n"
    "1:  cli\n"
    "    hlt\n"
    "    jmp 1b\n");
