import Foundation
import Testing
import TestSupport

/// `manifestc --run` boots the bundled `examples/hello-build` on qemu/x86_64 with a real
/// Unikraft 0.17 tree (`$MANIFESTC_UNIKRAFT_TREES/unikraft-0.17`, a plain checkout), choosing
/// the accelerator by itself: KVM exactly when the built image boots under KVM here, else TCG,
/// said. Needs make, gcc, flex, bison and qemu-system-x86_64 (scripts/setup.sh).
@Suite(.tags(.realTree, .slow)) struct HelloBuildRunRealTreeTests {
    static var tree: String? {
        guard let trees = ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"] else { return nil }
        let tree = trees + "/unikraft-0.17"
        return FileManager.default.fileExists(atPath: tree + "/Config.uk") ? tree : nil
    }

    static let tools = ["make", "gcc", "flex", "bison", "qemu-system-x86_64"]
    static var available: Bool {
        tree != nil && tools.allSatisfy { tool in
            ["/usr/bin/", "/bin/", "/usr/local/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
        }
    }

    @Test(.enabled(if: HelloBuildRunRealTreeTests.available,
                   "set MANIFESTC_UNIKRAFT_TREES to a folder with unikraft-0.17 (needs make, gcc, flex, bison, qemu-system-x86_64)"))
    func helloBuildBootsWithTheAcceleratorThatWorksHere() throws {
        let tree = try #require(Self.tree)
        let folder = try CommandLineTests.temporaryFolder([:]).appendingPathComponent("hello-build")
        try FileManager.default.copyItem(at: CommandLineTests.repository.appendingPathComponent("examples/hello-build"), to: folder)
        let manifest = folder.appendingPathComponent("kraft.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(text.contains("\nunikraft: stable\n"))
        try text.replacingOccurrences(of: "\nunikraft: stable\n", with: "\nunikraft:\n  source: '\(tree)'\n")
            .write(to: manifest, atomically: true, encoding: .utf8)

        let r = try CommandLineTests.run(["kraft.yaml", "--run", "--target", "qemu/x86_64", "--allow-outside", tree, "--timeout", "600"], in: folder)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        // Unikraft's console ends lines with "\r\n".
        #expect(r.stdout.replacingOccurrences(of: "\r\n", with: "\n").contains("Hello world!\nargv[1]: from\nargv[2]: manifestc\n"), "\(r.stdout)")

        // Whether this image boots under KVM here, asked of QEMU directly.
        let image = folder.appendingPathComponent("build/qemu-x86_64/hello_qemu-x86_64").path
        let underKVM = try Subprocess.run("/usr/bin/timeout", [
            "20", "/usr/bin/qemu-system-x86_64", "-enable-kvm", "-machine", "pc,accel=kvm", "-cpu", "host,+x2apic,-pmu", "-m", "64",
            "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0x501,iosize=2",
            "-kernel", image,
        ])
        let kvmWorks = underKVM.status == 83 && underKVM.stdout.contains("Hello world!")
        let said = r.stderr.contains("launch.sh: KVM is present but cannot run guests here (")
        if FileManager.default.fileExists(atPath: "/dev/kvm") {
            #expect(said == !kvmWorks, "KVM \(kvmWorks ? "runs" : "does not run") the image here (status \(underKVM.status)): \(r.stderr)")
        }
    }

    static var tree013: String? {
        guard let trees = ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"] else { return nil }
        let tree = trees + "/unikraft-0.13"
        return FileManager.default.fileExists(atPath: tree + "/Config.uk") ? tree : nil
    }

    static var linuxuAvailable: Bool {
        tree013 != nil && ["make", "gcc", "flex", "bison", "script", "aarch64-linux-gnu-gcc", "qemu-aarch64"].allSatisfy { tool in
            ["/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
        }
    }

    /// linuxu (Unikraft 0.13) without a terminal on stdin, as in CI: the image gets a
    /// pseudo-terminal for its console; the arm64 one runs through qemu-aarch64 on x86_64.
    @Test(.enabled(if: HelloBuildRunRealTreeTests.linuxuAvailable,
                   "set MANIFESTC_UNIKRAFT_TREES to a folder with unikraft-0.13 (needs make, gcc, flex, bison, script, gcc-aarch64-linux-gnu, qemu-user)"),
          arguments: ["linuxu/x86_64", "linuxu/arm64"])
    func helloBuildRunsOnLinuxuWithoutATerminal(_ target: String) throws {
        let tree = try #require(Self.tree013)
        let folder = try CommandLineTests.temporaryFolder([:]).appendingPathComponent("hello-build")
        try FileManager.default.copyItem(at: CommandLineTests.repository.appendingPathComponent("examples/hello-build"), to: folder)
        try "spec: v0.6\nname: hello\nunikraft:\n  source: '\(tree)'\ntargets: [\(target)]\ncmd: [from, manifestc]\n"
            .write(to: folder.appendingPathComponent("kraft.yaml"), atomically: true, encoding: .utf8)
        let r = try CommandLineTests.run(["kraft.yaml", "--run", "--allow-outside", tree, "--timeout", "120"], in: folder)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.replacingOccurrences(of: "\r\n", with: "\n").contains("Hello world!\nargv[1]: from\nargv[2]: manifestc\n"), "\(r.stdout)")
    }
}
