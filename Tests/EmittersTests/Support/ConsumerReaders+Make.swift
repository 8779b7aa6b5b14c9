import Foundation
import TestSupport

extension ConsumerReaders {
    // MARK: make

    /// Reads variables back with GNU make: `makefile` is evaluated in `folder` and each
    /// variable's expanded value printed; returns them by name.
    static func makeVariables(_ makefile: String, _ names: [String], in folder: URL) throws -> [String: String] {
        let probe = names.map { "$(info \($0)<<$(\($0))>>)" }.joined(separator: "\n")
        let file = folder.appendingPathComponent("Probe-\(UUID().uuidString).mk")
        try (makefile + "\n" + probe + "\n.PHONY: probe-done\nprobe-done: ;@:\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Subprocess.run("make", ["--no-print-directory", "-s", "-f", file.path, "probe-done"], in: folder)
        guard result.status == 0 else { throw MakeFailure(description: result.stderr) }
        var values: [String: String] = [:]
        var rest = Substring(result.stdout)
        for name in names {
            guard let start = rest.range(of: "\(name)<<"), let end = rest.range(of: ">>\n", range: start.upperBound..<rest.endIndex) else { continue }
            values[name] = String(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return values
    }

    struct MakeFailure: Error, CustomStringConvertible {
        var description: String
    }
}
