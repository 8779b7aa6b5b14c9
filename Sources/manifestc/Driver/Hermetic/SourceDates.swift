import FoundationEssentials
import Planner

extension Git {
    /// The commit time (seconds since 1970) of `commit` in the checkout at `folder`; nil
    /// when git cannot tell.
    func commitTime(_ commit: String, in folder: URL) -> Int? {
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path),
              let out = try? run(["-C", folder.path, "log", "-1", "--format=%ct", "--end-of-options", commit], what: "log") else { return nil }
        return Int(out.trimmingWhitespaceAndNewlines())
    }
}
