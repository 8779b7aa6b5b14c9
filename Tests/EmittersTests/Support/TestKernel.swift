import Foundation
import TestSupport

/// The test kernels of `Fixtures/testkernel`, built once per test run into a temporary folder
/// (removed when the test process ends); no binary is committed.
///
/// - x86: `testkernel.c`, a multiboot (v1) ELF32 that prints its command line on COM1 and
///   exits QEMU through isa-debug-exit (83, or 85 with `exit=crash`). Built with the system
///   `gcc -m32` and `ld -m elf_i386`; being freestanding, it needs no gcc-multilib.
/// - arm64: `testkernel-arm64.c`, a Linux arm64 Image for QEMU virt that prints
///   /chosen/bootargs on the PL011 and powers off through PSCI. Built with
///   `aarch64-linux-gnu-gcc` (Debian `gcc-aarch64-linux-gnu`).
enum TestKernel {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/testkernel")

    struct Unavailable: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    /// The x86 kernel's path, or why there is none.
    static let built: Result<String, Unavailable> = buildX86()

    /// The arm64 kernel's path, or why there is none.
    static let builtArm64: Result<String, Unavailable> = buildArm64()

    static var path: String? { try? built.get() }
    static var arm64Path: String? { try? builtArm64.get() }

    /// Whether the x86 boot tests can run: the kernel built and QEMU x86_64 is installed.
    static var canBoot: Bool { path != nil && Subprocess.which("qemu-system-x86_64") != nil }

    /// Whether the arm64 boot tests can run.
    static var canBootArm64: Bool { arm64Path != nil && Subprocess.which("qemu-system-aarch64") != nil }

    /// The folder the kernels are built in.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-testkernel-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestKernel.folder) }
        return folder
    }()

    private static let compileFlags = [
        "-ffreestanding", "-nostdlib", "-fno-pic", "-fno-pie", "-fno-stack-protector",
        "-fno-asynchronous-unwind-tables", "-O2", "-c",
    ]

    private static func buildX86() -> Result<String, Unavailable> {
        let object = folder.appendingPathComponent("testkernel.o").path
        let kernel = folder.appendingPathComponent("testkernel.elf").path
        return steps([
            ("gcc", ["-m32"] + compileFlags + [source("testkernel.c"), "-o", object]),
            ("ld", ["-m", "elf_i386", "-T", source("testkernel.ld"), "-o", kernel, object]),
        ], result: kernel)
    }

    private static func buildArm64() -> Result<String, Unavailable> {
        let object = folder.appendingPathComponent("testkernel-arm64.o").path
        let elf = folder.appendingPathComponent("testkernel-arm64.elf").path
        let image = folder.appendingPathComponent("testkernel-arm64.img").path
        // The MMU is off, so every access is to Device memory: no unaligned accesses.
        return steps([
            ("aarch64-linux-gnu-gcc", ["-mstrict-align", "-mgeneral-regs-only"] + compileFlags + [source("testkernel-arm64.c"), "-o", object]),
            ("aarch64-linux-gnu-ld", ["-T", source("testkernel-arm64.ld"), "-o", elf, object]),
            ("aarch64-linux-gnu-objcopy", ["-O", "binary", elf, image]),
        ], result: image)
    }

    private static func source(_ name: String) -> String { sources.appendingPathComponent(name).path }

    /// Runs each tool in turn; the first one missing or failing says why there is no kernel.
    private static func steps(_ steps: [(tool: String, arguments: [String])], result: String) -> Result<String, Unavailable> {
        for step in steps {
            guard Subprocess.which(step.tool) != nil else {
                return .failure(Unavailable(description: "'\(step.tool)' is not installed (scripts/setup.sh installs it)"))
            }
            do {
                let output = try Subprocess.run(step.tool, step.arguments)
                guard output.status == 0 else {
                    return .failure(Unavailable(description: "'\(step.tool)' failed: \(output.stderr)"))
                }
            } catch {
                return .failure(Unavailable(description: "'\(step.tool)' did not run: \(error)"))
            }
        }
        return .success(result)
    }
}
