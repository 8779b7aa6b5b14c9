import FoundationEssentials
import Glibc
import Planner

/// Facts about the machine manifestc runs on.
enum Host {
    /// `uname -m`: `x86_64`, `aarch64`, …
    static var architecture: String {
        var info = utsname()
        uname(&info)
        return withUnsafeBytes(of: &info.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// What git says about a checkout (nothing when it is not one, or git is missing).
struct GitFacts {
    var revision: String?
    var modified = false
    var shortLength = 8

    init(folder: String) {
        // No git process at all for a folder that is not a checkout (an exported tree).
        guard FileManager.default.fileExists(atPath: folder + "/.git") else { return }
        let reader = GitHeadReader(environment: ProcessInfo.processInfo.environment)
        switch reader.read(checkout: folder) {
        case .commit(let full, let length):
            revision = full
            shortLength = length
        case .unborn:
            return
        case .undecided:
            guard let full = Self.git(["-C", folder, "rev-parse", "HEAD"]), !full.isEmpty else { return }
            revision = full
            shortLength = Self.git(["-C", folder, "rev-parse", "--short", "HEAD"])?.count ?? 8
        }
        // Comparing files with the index can run what the checkout's own configuration names (a
        // clean filter; an fsmonitor hook, switched off here): the tree may be the input's choice
        // (a manifest's local source), so a checkout whose configuration defines a filter or
        // includes other files is not compared, and counts as unmodified.
        // The index is read natively where that answers exactly as `git ls-files -m` would.
        if Self.configurationRunsNothing(folder) {
            switch GitIndexReader(environment: reader.environment).read(checkout: folder) {
            case .modified(let answer):
                modified = answer
            case .undecided:
                let filters = reader.definesNoFilter(checkout: folder) ? [] : Git().filterOverrides(URL(fileURLWithPath: folder))
                modified = !(Self.git(filters + ["-C", folder, "ls-files", "-m"]) ?? "").isEmpty
            }
        }
    }

    /// Whether the checkout's `.git/config` (a folder, not a `gitdir:` link) defines no filter
    /// driver and includes no other file.
    static func configurationRunsNothing(_ folder: String) -> Bool {
        let git = URL(fileURLWithPath: folder).appendingPathComponent(".git")
        var isFolder = false
        guard FileManager.default.fileExists(atPath: git.path, isDirectory: &isFolder), isFolder,
              let data = try? Confinement.readRegularFile(git.appendingPathComponent("config")) else { return false }
        let text = String(decoding: data, as: UTF8.self).lowercased().filter { !$0.isWhitespace }
        return !text.contains("[filter") && !text.contains("[include")
    }

    /// Through `Git`: no prompts, a deadline, no fsmonitor or hooks of the tree's config.
    private static func git(_ arguments: [String]) -> String? {
        (try? Git().run(arguments, what: "git"))?.trimmingWhitespaceAndNewlines()
    }
}
