import FoundationEssentials
import Planner

/// The tree locator's view of the disk: `Config.uk`, the checked-out commit read from
/// `.git/HEAD` (no git process runs in a folder the input names), and the read scope.
struct DiskTreeProbe: TreeProbe {
    let scope: ReadScope

    func hasConfig(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/Config.uk")
    }

    func checkedOutCommit(_ folder: String) -> String? {
        let git = URL(fileURLWithPath: folder).appendingPathComponent(".git")
        // Nothing is read through a `.git` that links out of the repository.
        guard scope.allows(git.appendingPathComponent("HEAD")), let head = Self.line(git.appendingPathComponent("HEAD")) else { return nil }
        guard head.hasPrefix("ref: ") else { return Self.isCommit(head) ? head : nil }
        let ref = String(head.dropFirst(5))
        guard ref.hasPrefix("refs/"), !ref.contains("..") else { return nil }
        if let loose = Self.line(git.appendingPathComponent(ref)), Self.isCommit(loose) { return loose }
        // A packed ref: `<sha> <ref>` lines in packed-refs.
        guard let packed = try? Confinement.readRegularFile(git.appendingPathComponent("packed-refs")) else { return nil }
        for line in String(decoding: packed, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[1] == ref, Self.isCommit(String(words[0])) { return String(words[0]) }
        }
        return nil
    }

    func refusal(_ folder: String) -> String? {
        scope.refusal(URL(fileURLWithPath: folder), what: "the folder")?.description
    }

    private static func line(_ url: URL) -> String? {
        guard let data = try? Confinement.readRegularFile(url), data.count < 4096 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingWhitespaceAndNewlines()
    }

    private static func isCommit(_ text: String) -> Bool {
        text.count >= 40 && text.allSatisfy(\.isHexDigit)
    }
}
