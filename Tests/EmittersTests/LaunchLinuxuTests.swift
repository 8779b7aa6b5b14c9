import Foundation
import Testing
import TestSupport
@testable import Emitters

/// launch.sh on linuxu: an image for another architecture runs through QEMU's user-mode
/// emulation (or is an error that says how to get it), and without a terminal on stdin (CI,
/// `manifestc --run` in a pipe) the image gets a pseudo-terminal, as its console needs one.
@Suite(.tags(.slow)) struct LaunchLinuxuTests {
    static var hostArchitecture: String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The manifest architecture the host runs natively, and one it does not.
    static var native: String { hostArchitecture == "aarch64" ? "arm64" : "x86_64" }
    static var foreign: String { hostArchitecture == "aarch64" ? "x86_64" : "arm64" }
    static var foreignQemu: String { hostArchitecture == "aarch64" ? "qemu-x86_64" : "qemu-aarch64" }

    static func emit(_ architecture: String) throws -> URL {
        try LaunchScriptTests.emit("spec: v0.6\nname: app\nunikraft: '0.13.1'\ntargets: [linuxu/\(architecture)]\ncmd: [from, manifest]\n").folder
    }

    static func executable(_ folder: URL, _ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// A stand-in linuxu image: like Unikraft's console it fails without a terminal on stdin;
    /// with one it prints its arguments, one a line, and exits with the status `exit N` asks.
    static let image = """
        #!/bin/sh
        [ -t 0 ] || { echo "CRIT: [liblinuxuplat] <console.c @   92> Failed to initialize terminal console"; exit 1; }
        for a in "$@"; do printf 'arg: %s\\n' "$a"; done
        [ "$1" != exit ] || exit "$2"

        """

    @Test(.enabled(if: Subprocess.which("script") != nil, "needs script (Debian: bsdutils)"))
    func withoutATerminalTheImageRunsOnAPseudoTerminal() throws {
        let folder = try Self.emit(Self.native)
        let image = try Self.executable(folder, "image", Self.image)
        let script = folder.appendingPathComponent("launch.sh").path
        // stdin is a pipe here, as in CI; the arguments are hostile and must arrive literally.
        let r = try Subprocess.run("/usr/bin/timeout", ["20", script, "-k", image, "--", "a b", "it's", "$(touch CANARY)", "x\ny"], in: folder, input: "")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "arg: a b\narg: it's\narg: $(touch CANARY)\narg: x\ny\n", "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("CANARY").path))
        let status = try Subprocess.run("/usr/bin/timeout", ["20", script, "-k", image, "--", "exit", "7"], in: folder, input: "")
        #expect(status.status == 7, "\(status.stdout)\(status.stderr)")
    }

    @Test(.enabled(if: Subprocess.which("script") != nil, "needs script (Debian: bsdutils)"))
    func aForeignImageRunsThroughQemuUser() throws {
        let folder = try Self.emit(Self.foreign)
        let image = try Self.executable(folder, "image", Self.image)
        // A stand-in qemu-user that runs the image itself, saying so.
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        _ = try Self.executable(bin, Self.foreignQemu, "#!/bin/sh\necho \"$(basename \"$0\") runs $(basename \"$1\")\"\nexec \"$@\"\n")
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try Subprocess.run("/usr/bin/timeout", ["20", folder.appendingPathComponent("launch.sh").path, "-k", image], in: folder, input: "",
                               environment: ["PATH": path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "\(Self.foreignQemu) runs image\narg: from\narg: manifest\n", "\(r.stdout)")
    }

    /// Without qemu-user, the error says what the image is and how to run it.
    @Test func aForeignImageWithoutQemuUserSaysWhatToInstall() throws {
        let folder = try Self.emit(Self.foreign)
        let image = try Self.executable(folder, "image", Self.image)
        // A PATH with the tools launch.sh uses, and no QEMU.
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["bash", "env", "dirname", "uname"] {
            let found = try #require(Subprocess.which(tool))
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path, withDestinationPath: found)
        }
        let r = try Subprocess.run(folder.appendingPathComponent("launch.sh").path, ["-k", image], in: folder, input: "", environment: ["PATH": bin.path])
        #expect(r.status == 126)
        let arch = Self.foreign, host = Self.hostArchitecture
        #expect(r.stderr == "launch.sh: target 'linuxu-\(arch)' is a Linux program for \(arch), which this \(host) host cannot run by itself; QEMU's user-mode emulation can: install it (Debian: apt-get install qemu-user) and launch.sh runs the image through \(Self.foreignQemu)\n", "\(r.stderr)")
    }

    /// A real static arm64 program through the real qemu-aarch64, without a terminal: no libc
    /// (Linux system calls only), so the cross compiler alone builds it.
    static let arm64Program = #"""
        static long sys(long n, long a, long b, long c) {
            register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;
            __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
            return x0;
        }
        static void put(const char *s) { long n = 0; while (s[n]) n++; sys(64, 1, (long)s, n); }
        void cmain(long *sp) {
            char termios[64];
            put(sys(29, 0, 0x5401, (long)termios) == 0 ? "tty 1\n" : "tty 0\n"); /* ioctl(0, TCGETS) */
            for (long i = 1; i < sp[0]; i++) { put("arg: "); put(((char **)(sp + 1))[i]); put("\n"); }
            sys(93, 3, 0, 0); /* exit(3) */
        }
        __asm__(".globl _start\n_start:\n mov x0, sp\n bl cmain\n");

        """#

    @Test(.enabled(if: hostArchitecture == "x86_64" && Subprocess.which("aarch64-linux-gnu-gcc") != nil
                   && Subprocess.which("qemu-aarch64") != nil && Subprocess.which("script") != nil,
                   "needs an x86_64 host, gcc-aarch64-linux-gnu, qemu-user and script"))
    func aRealArm64ProgramRunsThroughQemuAarch64() throws {
        let folder = try Self.emit("arm64")
        let source = folder.appendingPathComponent("hello.c")
        try Self.arm64Program.write(to: source, atomically: true, encoding: .utf8)
        let image = folder.appendingPathComponent("hello").path
        let built = try Subprocess.run("aarch64-linux-gnu-gcc", ["-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector", "-O2", "-o", image, source.path])
        try #require(built.status == 0, "\(built.stderr)")
        let r = try Subprocess.run("/usr/bin/timeout", ["60", folder.appendingPathComponent("launch.sh").path, "-k", image, "--", "a b"], in: folder, input: "")
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "tty 1\narg: a b\n", "\(r.stdout)")
    }
}
