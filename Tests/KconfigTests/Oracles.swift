import Foundation
import Testing
import Diagnostics
import TestSupport
@testable import Kconfig

/// Runs the reference implementations over many case folders at once.
///
/// Each case folder holds `Kconfig` and `seed`; the oracles write `kconfiglib.config`,
/// `conf.config` (Debian's `kconfig-conf`) and, when `MANIFESTC_KCONFIG_CONF` names a Linux
/// 5.2-style `conf` (for example Unikraft's, built from `support/kconfig`), `uk.config`.
enum Oracles {
    static let python = "/usr/bin/python3"
    static let kconfigConf = "/usr/bin/kconfig-conf"
    static let setupHint = "the Kconfig oracles are missing; run scripts/setup.sh (installs kconfig-frontends-nox and python3-kconfiglib)"

    static var unikraftConf: String? {
        guard let path = ProcessInfo.processInfo.environment["MANIFESTC_KCONFIG_CONF"],
              FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return path
    }

    /// Whether kconfiglib imports and kconfig-conf exists.
    static func check() -> String? {
        guard FileManager.default.isExecutableFile(atPath: kconfigConf) else { return setupHint }
        let (status, _) = run(python, ["-c", "import kconfiglib"])
        return status == 0 ? nil : setupHint
    }

    /// Runs a program; its status and its output (stdout, then stderr).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], cwd: String? = nil) -> (Int32, String) {
        do {
            let r = try Subprocess.run(executable, arguments, in: cwd.map { URL(fileURLWithPath: $0) })
            return (r.status, r.stdout + r.stderr)
        } catch {
            return (-1, "\(error)")
        }
    }

    static let kconfiglibScript = """
    import os, sys
    import kconfiglib
    root = sys.argv[1]
    for d in sorted(os.listdir(root)):
        p = os.path.join(root, d)
        if not os.path.isdir(p):
            continue
        os.environ["srctree"] = p
        try:
            k = kconfiglib.Kconfig(os.path.join(p, "Kconfig"), warn=False)
            k.load_config(os.path.join(p, "seed"))
            header = "#\\n# Automatically generated file; DO NOT EDIT.\\n# " + k.mainmenu_text + "\\n#\\n"
            k.write_config(os.path.join(p, "kconfiglib.config"), header=header)
        except Exception as e:
            with open(os.path.join(p, "kconfiglib.error"), "w") as f:
                f.write(repr(e))
    """

    /// Runs every oracle over the case folders under `root`: kconfiglib in one Python process,
    /// the conf binaries two at a time, all at once.
    static func runAll(root: String) {
        let script = root + "/oracle.py"
        try? kconfiglibScript.write(toFile: script, atomically: true, encoding: .utf8)
        var each = "cd \"$0\" && KCONFIG_CONFIG=conf.config \(kconfigConf) --defconfig=seed Kconfig >conf.log 2>&1"
        if let uk = unikraftConf {
            each += "; CONFIG_=CONFIG_ KCONFIG_CONFIG=uk.config \(uk) --defconfig=seed Kconfig >uk.log 2>&1"
        }
        let shell = """
        \(python) "$1/oracle.py" "$1" &
        for d in "$1"/*/; do printf '%s\\0' "$d"; done | xargs -0 -P 2 -n 1 sh -c '\(each)'
        wait
        """
        run("/bin/bash", ["-c", shell, "oracles", root])
    }

    /// The `CONFIG_…` and `# CONFIG_… is not set` lines, in order.
    static func symbolLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("CONFIG_") || ($0.hasPrefix("# CONFIG_") && $0.hasSuffix(" is not set")) }
    }

    /// Our `.config` for the tree in `folder` (read through an in-memory copy).
    static func ours(kconfig: String, seed: String, files: [String: String] = [:]) -> (String, [Diagnostic]) {
        var all = files
        all["/case/Kconfig"] = kconfig
        let fs = InMemoryKconfigFileSystem(files: all)
        let (tree, d1) = KconfigTree.load(root: "/case/Kconfig", fileSystem: fs)
        let (assignments, d2) = ConfigReader.read(seed, file: "/case/seed")
        let (configuration, d3) = tree.evaluate(seed: assignments)
        return (ConfigWriter.write(configuration), d1 + d2 + d3)
    }

    /// Symbol → value, with bools that are absent counted as `n` (Debian's kconfig-conf 4.11 also
    /// writes `is not set` for prompt-less symbols whose active default is `n`; conf 5.2 does not).
    static func values(_ text: String, boolNames: Set<Substring>) -> [Substring: Substring] {
        var map: [Substring: Substring] = [:]
        for line in symbolLines(text) {
            if line.hasPrefix("# ") {
                map[line.dropFirst(9).dropLast(11)] = "n"
            } else if let eq = line.firstIndex(of: "=") {
                map[line[line.index(line.startIndex, offsetBy: 7)..<eq]] = line[line.index(after: eq)...]
            }
        }
        for name in boolNames where map[name] == "n" { map[name] = nil }
        return map
    }
}

