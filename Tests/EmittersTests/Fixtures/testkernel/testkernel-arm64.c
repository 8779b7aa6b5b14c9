/*
 * The arm64 test kernel for qemu-guest: a Linux arm64 Image for QEMU's virt machine. It
 * prints /chosen/bootargs of the device tree (QEMU's -append string) on the PL011 UART,
 * then a newline, and powers off through PSCI SYSTEM_OFF, so QEMU exits with 0 (an arm64
 * guest has no isa-debug-exit, so a crash cannot be told from a halt).
 * Built by Tests/EmittersTests/Support/TestKernel.swift with aarch64-linux-gnu-gcc; no
 * binary is committed.
 */

#define UART0 0x09000000ul /* virt's PL011 */
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)
#define PSCI_SYSTEM_OFF 0x84000008ul

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u

unsigned char testkernel_stack[4096] __attribute__((aligned(16)));

static void serial_put(char c) {
    volatile unsigned int *uart = (volatile unsigned int *)UART0;
    while (uart[UART_FR / 4] & UART_FR_TXFF) { /* wait for room */ }
    uart[UART_DR / 4] = (unsigned char)c;
}

/* Device trees are big-endian; fields are 4-byte aligned. */
static unsigned int be32(const void *p) { return __builtin_bswap32(*(const volatile unsigned int *)p); }

static int equal(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

static unsigned long align4(unsigned long n) { return (n + 3) & ~3ul; }

/* The value of /chosen/bootargs, or "" when there is none. */
static const char *bootargs(const unsigned char *fdt) {
    if (!fdt || be32(fdt) != FDT_MAGIC) return "";
    const unsigned char *p = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    int depth = 0, in_chosen = 0;
    for (;;) {
        unsigned int token = be32(p);
        p += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            unsigned long length = 0;
            while (name[length]) length++;
            depth++;
            in_chosen = depth == 2 && equal(name, "chosen");
            p += align4(length + 1);
        } else if (token == FDT_END_NODE) {
            depth--;
            in_chosen = 0;
        } else if (token == FDT_PROP) {
            unsigned int length = be32(p), name = be32(p + 4);
            if (in_chosen && equal(strings + name, "bootargs")) return (const char *)(p + 8);
            p += 8 + align4(length);
        } else if (token != FDT_NOP) {
            return "";
        }
    }
}

void testkernel_main(const unsigned char *fdt) {
    for (const char *p = bootargs(fdt); *p; p++) serial_put(*p);
    serial_put('\n');
    register unsigned long x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("hvc #0" : "+r"(x0));
}

/* The Image header (Documentation/arch/arm64/booting.rst): image_size 0 tells QEMU to load
   the image 512 KiB into RAM, at 0x40080000. x0 holds the device tree's address. */
__asm__(
    ".section .text.head, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "    b 1f\n"
    "    .long 0\n"
    "    .quad 0, 0, 0, 0, 0, 0\n"
    "    .ascii \"ARM\\x64\"\n"
    "    .long 0\n"
    "1:  ldr x1, =testkernel_stack + 4096\n"
    "    mov sp, x1\n"
    "    bl testkernel_main\n"
    "2:  wfi\n"
    "    b 2b\n");
