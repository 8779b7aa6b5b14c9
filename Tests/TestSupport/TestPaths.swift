import Foundation

/// Where the tests find the package, the shared corpus and the real Unikraft trees.
public enum TestPaths {
    /// The package's folder.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpus` beside the package, or `MANIFESTC_CORPUS`.
    public static var corpus: String {
        ProcessInfo.processInfo.environment["MANIFESTC_CORPUS"]
            ?? repository.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }

    /// The folder of real Unikraft checkouts named by `MANIFESTC_UNIKRAFT_TREES`, if any.
    public static let realTrees = ProcessInfo.processInfo.environment["MANIFESTC_UNIKRAFT_TREES"]

    /// Whether the real trees hold Unikraft 0.17 and the corpus holds its reference seed.
    public static var realTreesAvailable: Bool {
        guard let realTrees else { return false }
        return FileManager.default.fileExists(atPath: realTrees + "/unikraft-0.17/Config.uk")
            && FileManager.default.fileExists(atPath: corpus + "/configs/hello-017-qemu-x86_64.seed")
    }

    /// A `.config` text with the lines that name the checkout's folders made folder-independent.
    public static func normalizedConfig(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("CONFIG_UK_BASE=") { return "CONFIG_UK_BASE=<base>" }
            if line.hasPrefix("CONFIG_UK_APP=") { return "CONFIG_UK_APP=<app>" }
            return String(line)
        }.joined(separator: "\n")
    }
}
