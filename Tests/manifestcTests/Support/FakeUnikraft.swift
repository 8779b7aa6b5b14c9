import Foundation
import TestSupport
import Testing

/// Local bare git repositories standing in for Unikraft and a library, with branches,
/// tags and several commits, and an app folder. The fake Unikraft tree has a small
/// `Config.uk` the planner evaluates, and a Makefile that checks `A=`, `L=`, `C=`,
/// `O=`, `N=` and writes an "image": a shell script that prints "Hello world!", its
/// arguments, and exits with `exit N` or sleeps with `sleep N` (in a subshell, which says `slept N` when it
/// was not stopped).
struct FakeUnikraft {
    let root: URL
    var app: URL { root.appendingPathComponent("app") }
    var unikraftURL: String { "file://" + root.appendingPathComponent("unikraft.git").path }
    var libraryURL: String { "file://" + root.appendingPathComponent("lib-foo.git").path }
    /// Commits of the core: `one` (tag RELEASE-0.16.3), `two` (branch stable), `three`
    /// (branch staging, annotated tag v0.17.0).
    var commits: [String: String] = [:]
    var libraryStable = ""

    /// The environment that makes `https://github.com/unikraft/` mean the local repositories.
    var environment: [String: String] {
        ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "url.file://\(root.path)/.insteadOf",
         "GIT_CONFIG_VALUE_0": "https://github.com/unikraft/"]
    }

    static let configUK = """
        mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
        config UK_BASE
        \tstring
        \tdefault "$(UK_BASE)"
        config UK_APP
        \tstring
        \tdefault "$(UK_APP)"
        choice
        \tprompt "Architecture"
        config ARCH_X86_64
        \tbool "x86_64"
        config ARCH_ARM_64
        \tbool "arm64"
        endchoice
        config PLAT_KVM
        \tbool "KVM"
        config KVM_VMM_QEMU
        \tbool "QEMU"
        \tdepends on PLAT_KVM
        config KVM_VMM_FIRECRACKER
        \tbool "Firecracker"
        \tdepends on PLAT_KVM
        config PLAT_LINUXU
        \tbool "linuxu"
        config LIBUKDEBUG_PRINTK_INFO
        \tbool "info messages"
        menu "Library Configuration"
        source "$(shell,$(UK_BASE)/support/build/config-submenu.sh -q -o '$(KCONFIG_DIR)/libs.uk' -c '$(KCONFIG_ELIB_DIRS)')"
        endmenu

        """

    static let makefile = """
        # A fake Unikraft: checks A=, L=, C=, O=, N= and writes an "image".
        ifeq ($(realpath $(dir $(O))),)
        $(error the parent of O=$(O) does not exist)
        endif
        ARCH := $(if $(shell grep -s '^CONFIG_ARCH_ARM_64=y' $(C)),arm64,x86_64)
        PLAT := $(if $(shell grep -s '^CONFIG_PLAT_LINUXU=y' $(C)),linuxu,$(if $(shell grep -s '^CONFIG_KVM_VMM_FIRECRACKER=y' $(C)),fc,qemu))
        IMAGE := $(O)/$(N)_$(PLAT)-$(ARCH)
        all:
        \t@test -f $(C) || { echo "error: no configuration C=$(C)"; exit 1; }
        \t@test -f $(A)/main.c || { echo "error: no main.c in A=$(A)"; exit 1; }
        \t@for l in $(subst :, ,$(L)); do test -f $$l/Config.uk || { echo "error: no library at $$l"; exit 1; }; done
        \t@if grep -q '#error' $(A)/main.c; then echo "main.c:1:2: error: #error in main.c"; exit 2; fi
        \t@mkdir -p $(O)
        \t@echo "  CC      main.c ($(CROSS_COMPILE)gcc)"
        \t@printf '#!/bin/sh\\n# fake image of $(N) for $(PLAT)-$(ARCH), libraries: $(notdir $(subst :, ,$(L)))\\necho "Hello world!"\\necho "args: $$*"\\ncase "$$1" in exit) exit "$$2" ;; sleep) (sleep "$$2"; echo "slept $$2") ;; esac\\n' > $(IMAGE)
        \t@chmod +x $(IMAGE)
        \t@echo "  LD      $(notdir $(IMAGE))"
        %:
        \t@echo "fake unikraft: $@"

        """

    static let gitEnvironment = [
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com", "GIT_CONFIG_NOSYSTEM": "1",
    ]

    /// Runs a shell script; fails the test when it fails.
    @discardableResult
    static func sh(_ script: String, in folder: URL) throws -> String {
        let r = try Subprocess.run("/bin/sh", ["-ec", script], in: folder, environment: gitEnvironment)
        #expect(r.status == 0, "\(script)\n\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    init(manifest: String? = nil) throws {
        root = try CommandLineTests.temporaryFolder([
            "uk/Config.uk": Self.configUK,
            "uk/Makefile": Self.makefile,
            "uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 16\nUK_EXTRAVERSION = 3\nUK_CODENAME = Fake\n",
            "lib/Config.uk": "config LIBFOO\n\tbool \"foo\"\n",
            "app/main.c": "int main(void) { return 0; }\n",
            "app/Makefile.uk": "",
        ])
        try Self.sh("""
            cd uk
            git init -q -b staging . && git add -A && git commit -qm one && git tag RELEASE-0.16.3
            echo '# two' >> Makefile && git commit -qam two && git branch stable
            echo '# three' >> Makefile && git commit -qam three && git tag -a v0.17.0 -m 'annotated'
            cd ../lib && git init -q -b staging . && git add -A && git commit -qm lib && git branch stable
            cd .. && git clone -q --bare uk unikraft.git && git clone -q --bare lib lib-foo.git
            """, in: root)
        for (name, rev) in [("one", "RELEASE-0.16.3"), ("two", "stable"), ("three", "staging")] {
            commits[name] = try Self.sh("git -C unikraft.git rev-parse \(rev)", in: root)
        }
        libraryStable = try Self.sh("git -C lib-foo.git rev-parse stable", in: root)
        if let manifest { try write(manifest) }
    }

    /// Another app folder (main.c, Makefile.uk) beside the repositories, for tests that share them.
    func freshApp() throws -> URL {
        let folder = root.appendingPathComponent("apps/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["main.c", "Makefile.uk"] { try FileManager.default.copyItem(at: app.appendingPathComponent(name), to: folder.appendingPathComponent(name)) }
        return folder
    }

    func write(_ manifest: String, to file: String = "app/kraft.yaml") throws {
        try manifest.write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    /// Adds a commit to a branch of the bare core repository; returns it.
    func advance(_ branch: String) throws -> String {
        try Self.sh("""
            rm -rf work && git clone -q -b \(branch) unikraft.git work && cd work
            echo '# more' >> Makefile && git commit -qam more && git push -q origin \(branch)
            git rev-parse HEAD
            """, in: root).split(separator: "\n").last.map(String.init) ?? ""
    }

    /// manifestc in the app folder, with the mirror environment.
    @discardableResult
    func manifestc(_ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:]) throws -> ProcessOutput {
        try CommandLineTests.run(arguments, in: folder ?? app, environment: environment.merging(extra) { _, new in new })
    }

    /// The commit checked out in a workspace folder.
    func head(_ folder: String, app: URL? = nil) throws -> String {
        try Self.sh("git -C \(folder) rev-parse HEAD", in: app ?? self.app)
    }

    func text(_ path: String) -> String? {
        try? String(contentsOf: app.appendingPathComponent(path), encoding: .utf8)
    }
}
