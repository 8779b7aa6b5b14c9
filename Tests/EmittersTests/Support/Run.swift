import Emitters
import Foundation
import TestSupport

/// A fresh temporary folder holding `files`.
func temporaryFolder(_ files: [String: String] = [:]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-emitters-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (path, text) in files {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return folder
}

/// Writes emitted files into `folder` with their modes.
func write(_ files: [EmittedFile], to folder: URL) throws {
    for file in files {
        let url = folder.appendingPathComponent(file.path)
        try file.contents.write(to: url, atomically: true, encoding: .utf8)
        if file.executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
    }
}

/// Parses a shell command line (as printed by a dry run) back into argv with bash itself.
func argv(ofCommandLine line: String) throws -> [String] {
    let result = try Subprocess.run("/bin/bash", ["-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "parse", line])
    var words = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    if words.last == "" { words.removeLast() }
    return words
}
