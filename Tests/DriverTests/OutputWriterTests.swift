@testable import Driver
import Emitters
import Foundation
import Testing
import TestSupport

/// The output writer on an in-memory file system: what it writes, refuses, records, checks
/// and lists, and what a writer killed at any moment leaves.
struct OutputWriterTests {
    static let folder = URL(fileURLWithPath: "/repo/app")

    static func writer(_ fs: any OutputFileSystem, force: Bool = false) -> OutputWriter {
        OutputWriter(folder: folder, force: force, fileSystem: fs)
    }

    static func apply(_ files: [EmittedFile], _ fs: any OutputFileSystem, mode: OutputWriter.Mode = .write, force: Bool = false)
        -> (status: CompileResult.Status, written: Int, console: Console) {
        let console = Console(buffered: true)
        let (status, written) = writer(fs, force: force).apply(files, mode: mode, console: console)
        return (status, written, console)
    }

    @Test func writesFilesRecordsTheirHashesAndLeavesUnchangedFilesAlone() throws {
        let fs = MemoryFileSystem()
        let files = [EmittedFile(path: "fc-a.json", contents: "{}\n"), EmittedFile(path: ".config.a", contents: "CONFIG_A=y\n")]
        let first = Self.apply(files, fs)
        #expect(first.status == .ok && first.written == 2, "\(first.console.captured)")
        #expect(fs.text("/repo/app/fc-a.json") == "{}\n")
        let record = try #require(fs.text("/repo/app/.manifestc-outputs"))
        #expect(record == "\(SHA256.hex(Array("CONFIG_A=y\n".utf8)))  .config.a\n\(SHA256.hex(Array("{}\n".utf8)))  fc-a.json\n")
        #expect(fs.text("/repo/app/.manifestc-outputs.pending") == nil)
        let second = Self.apply(files, fs)
        #expect(second.status == .ok && second.written == 0)
    }

    @Test func aForeignFileIsRefusedAndNothingIsWrittenUnlessForced() {
        let fs = MemoryFileSystem()
        fs.put("/repo/app/Makefile", .file(Array("mine\n".utf8), mode: 0o644))
        let files = [EmittedFile(path: "Makefile", contents: "generated\n"), EmittedFile(path: "fc-a.json", contents: "{}\n")]
        let refused = Self.apply(files, fs)
        #expect(refused.status == .failed)
        #expect(refused.console.captured.error.contains("refusing to overwrite '/repo/app/Makefile': manifestc did not write it; move it away or use --force"))
        #expect(fs.text("/repo/app/Makefile") == "mine\n")
        #expect(fs.text("/repo/app/fc-a.json") == nil, "a refused run wrote another file")
        #expect(Self.apply(files, fs, force: true).status == .ok)
        #expect(fs.text("/repo/app/Makefile") == "generated\n")
    }

    @Test func aRecordedFileEditedSinceIsRefused() {
        let fs = MemoryFileSystem()
        let files = [EmittedFile(path: "fc-a.json", contents: "{}\n")]
        #expect(Self.apply(files, fs).status == .ok)
        fs.put("/repo/app/fc-a.json", .file(Array("{\"edited\": 1}\n".utf8), mode: 0o644))
        let refused = Self.apply([EmittedFile(path: "fc-a.json", contents: "{\"new\": 1}\n")], fs)
        #expect(refused.status == .failed)
        #expect(refused.console.captured.error.contains("it was edited after manifestc generated it"))
    }

    @Test func aFolderThatLinksOutIsRefusedEvenWithForce() {
        let fs = MemoryFileSystem()
        fs.put("/elsewhere", .folder)
        fs.put("/repo/app/.github", .link("/elsewhere"))
        let files = [EmittedFile(path: ".github/workflows/manifestc.yml", contents: "x\n")]
        let refused = Self.apply(files, fs, force: true)
        #expect(refused.status == .failed)
        #expect(refused.console.captured.error.contains("is a symbolic link to '/elsewhere', outside '/repo/app'"), "\(refused.console.captured.error)")
        #expect(fs.files(under: "/elsewhere").isEmpty)
    }

    @Test func checkPrintsADiffAndWritesNothing() {
        let fs = MemoryFileSystem()
        #expect(Self.apply([EmittedFile(path: "fc-a.json", contents: "{\"a\": 1}\n")], fs).status == .ok)
        let files = [EmittedFile(path: "fc-a.json", contents: "{\"a\": 2}\n"), EmittedFile(path: "fc-b.json", contents: "{}\n")]
        let checked = Self.apply(files, fs, mode: .check(regenerate: "manifestc kraft.yaml"))
        #expect(checked.status == .stale)
        #expect(checked.console.captured.out.contains("-{\"a\": 1}\n+{\"a\": 2}\n"), "\(checked.console.captured.out)")
        #expect(checked.console.captured.out.contains("--- /dev/null\n+++ b/fc-b.json\n"))
        #expect(checked.console.captured.error.contains("2 generated files are missing or stale; run 'manifestc kraft.yaml' to regenerate"))
        #expect(fs.text("/repo/app/fc-a.json") == "{\"a\": 1}\n" && fs.text("/repo/app/fc-b.json") == nil)
    }

    @Test func dryRunListsEveryChangeAndFailsWhenTheRealRunWouldRefuse() {
        let fs = MemoryFileSystem()
        fs.put("/repo/app/Makefile", .file(Array("mine\n".utf8), mode: 0o644))
        let files = [EmittedFile(path: "Makefile", contents: "generated\n"), EmittedFile(path: "fc-a.json", contents: "{}\n")]
        let listed = Self.apply(files, fs, mode: .dryRun)
        #expect(listed.status == .failed)
        #expect(listed.console.captured.out == "refuse   (manifestc did not write it) Makefile\ncreate    fc-a.json\n")
        #expect(fs.text("/repo/app/fc-a.json") == nil)
    }

    /// A run killed after any number of changes leaves each file old or new, and the next run
    /// writes the new files and accepts the ones the killed run renamed into place.
    @Test func aKilledWriteLeavesOldOrNewFilesAndARerunSucceeds() throws {
        func files(_ word: String) -> [EmittedFile] {
            (0..<40).map { EmittedFile(path: "fc-t\($0).json", contents: "{\"\(word)\": \($0)}\n") }
        }
        var generator = SplitMix64(seed: 14)
        for round in 0..<30 {
            let fs = MemoryFileSystem()
            #expect(Self.apply(files("old"), fs).status == .ok)
            let budget = Int(generator.next() % 44)
            let killed = Self.apply(files("new"), KilledFileSystem(fs, after: budget))
            #expect(killed.status == (budget >= 42 ? .ok : .failed), "round \(round), budget \(budget)")
            for (index, (old, new)) in zip(files("old"), files("new")).enumerated() {
                let text = fs.text("/repo/app/\(old.path)")
                #expect(text == old.contents || text == new.contents, "round \(round): file \(index) is neither old nor new")
            }
            let rerun = Self.apply(files("new"), fs)
            #expect(rerun.status == .ok, "round \(round), budget \(budget): \(rerun.console.captured.error)")
            for file in files("new") { #expect(fs.text("/repo/app/\(file.path)") == file.contents) }
            #expect(fs.text("/repo/app/.manifestc-outputs.pending") == nil)
            #expect(Self.apply(files("new"), fs, mode: .check(regenerate: "manifestc")).status == .ok)
        }
    }
}

/// The output writer on the disk: the lock between writers and what killed writers leave.
@Suite(.serialized) struct DiskOutputWriterTests {
    static func temporaryFolder() throws -> URL {
        try TestSupport.temporaryFolder([:], prefix: "manifestc-writer")
    }

    /// Two writers of one folder: the second waits for the first (which holds the lock while
    /// it writes slowly), then writes all of its own files.
    @Test func concurrentWritersDoNotInterleave() throws {
        let folder = try Self.temporaryFolder()
        @Sendable func files(_ word: String) -> [EmittedFile] {
            (0..<20).map { EmittedFile(path: "fc-t\($0).json", contents: "{\"\(word)\": \($0)}\n") }
        }
        let writing = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let first = OutputWriter(folder: folder, force: true, fileSystem: SlowFileSystem(pause: 2000, started: { writing.signal() }))
        let firstDone = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstStatus: CompileResult.Status?
        Thread.detachNewThread {
            firstStatus = first.apply(files("a"), mode: .write, console: Console(buffered: true)).status
            firstDone.signal()
        }
        writing.wait()
        let console = Console(buffered: true)
        let second = OutputWriter(folder: folder, force: true).apply(files("b"), mode: .write, console: console)
        firstDone.wait()
        #expect(firstStatus == .ok && second.status == .ok)
        #expect(console.captured.error.contains("waiting for another manifestc writing \(folder.path)"), "\(console.captured.error)")
        for file in files("b") {
            #expect(try String(contentsOf: folder.appendingPathComponent(file.path), encoding: .utf8) == file.contents)
        }
    }

    @Test func temporariesOfDeadWritersAreRemovedAndNothingElse() throws {
        let folder = try Self.temporaryFolder()
        let dead = folder.appendingPathComponent(".fc-a.json.manifestc-2147483000-1f")
        let folderNamedLikeOne = folder.appendingPathComponent(".b.manifestc-2147483000-2f")
        let ours = folder.appendingPathComponent(".c.manifestc-\(getpid())-3f")
        try Data("x".utf8).write(to: dead)
        try Data("x".utf8).write(to: ours)
        try FileManager.default.createDirectory(at: folderNamedLikeOne, withIntermediateDirectories: true)
        #expect(OutputWriter(folder: folder, force: false).apply([EmittedFile(path: "fc-a.json", contents: "{}\n")], mode: .write,
                                                               console: Console(buffered: true)).status == .ok)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: ours.path))
        #expect(FileManager.default.fileExists(atPath: folderNamedLikeOne.path))
    }
}
