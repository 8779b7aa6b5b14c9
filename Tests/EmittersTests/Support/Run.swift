import Emitters
import Foundation

/// Runs a program and collects its output (tests only).
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

@discardableResult
func runProcess(_ executable: String, _ arguments: [String], in folder: URL? = nil, input: String? = nil,
                environment: [String: String] = [:]) throws -> ProcessResult {
    // A script a test has just written can be "busy" for a moment: another test's process
    // forked while its write descriptor was open still holds a copy until it execs. Try again.
    var attempts = 0
    while true {
        do {
            return try runProcessOnce(executable, arguments, in: folder, input: input, environment: environment)
        } catch let error as NSError where attempts < 100 && isTextFileBusy(error) {
            attempts += 1
            usleep(10_000)
        }
    }
}

private func isTextFileBusy(_ error: NSError) -> Bool {
    let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
    return posix?.domain == NSPOSIXErrorDomain && posix?.code == Int(ETXTBSY)
}

private func runProcessOnce(_ executable: String, _ arguments: [String], in folder: URL?, input: String?,
                            environment: [String: String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let folder { process.currentDirectoryURL = folder }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    // stderr goes to a file, so that neither stream can fill up while the other is read.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let err = try FileHandle(forWritingTo: errorFile)
    let out = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try? err.close()
    let stderrData = (try? Data(contentsOf: errorFile)) ?? Data()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: String(decoding: stderrData, as: UTF8.self))
}

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
    let result = try runProcess("/bin/bash", ["-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "parse", line])
    var words = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    if words.last == "" { words.removeLast() }
    return words
}
