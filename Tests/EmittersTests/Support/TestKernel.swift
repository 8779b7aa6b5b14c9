import Foundation

/// The test kernel of `Fixtures/testkernel`: a multiboot (v1) ELF32 that prints its command
/// line on COM1 and exits QEMU through isa-debug-exit (83, or 85 with `exit=crash`).
/// It is built once per test run, into a temporary folder, with the system `gcc` and `ld`;
/// being freestanding, it needs no 32-bit C library (no gcc-multilib).
enum TestKernel {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/testkernel")

    struct Unavailable: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    /// The built kernel's path, or why there is none.
    static let built: Result<String, Unavailable> = build()

    /// The folder the kernel is built in; removed when the test process ends.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-testkernel-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: TestKernel.folder) }
        return folder
    }()

    static var path: String? { try? built.get() }

    /// Whether the QEMU boot tests can run: the kernel built and QEMU x86_64 is installed.
    static var canBoot: Bool { path != nil && Subprocess.which("qemu-system-x86_64") != nil }

    private static func build() -> Result<String, Unavailable> {
        guard Subprocess.which("gcc") != nil, Subprocess.which("ld") != nil else {
            return .failure(Unavailable(description: "gcc or ld is not installed"))
        }
        let object = folder.appendingPathComponent("testkernel.o").path
        let kernel = folder.appendingPathComponent("testkernel.elf").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let compile = try Subprocess.run("gcc", [
                "-m32", "-ffreestanding", "-nostdlib", "-fno-pic", "-fno-pie", "-fno-stack-protector",
                "-fno-asynchronous-unwind-tables", "-O2", "-c", sources.appendingPathComponent("testkernel.c").path,
                "-o", object,
            ])
            guard compile.status == 0 else {
                return .failure(Unavailable(description: "gcc cannot build 32-bit freestanding code: \(compile.stderr)"))
            }
            let link = try Subprocess.run("ld", [
                "-m", "elf_i386", "-T", sources.appendingPathComponent("testkernel.ld").path, "-o", kernel, object,
            ])
            guard link.status == 0 else {
                return .failure(Unavailable(description: "ld cannot link an i386 ELF: \(link.stderr)"))
            }
            return .success(kernel)
        } catch {
            return .failure(Unavailable(description: "building the test kernel failed: \(error)"))
        }
    }
}
