import Foundation
import Testing
import TestSupport
import Diagnostics
@testable import Kconfig

/// A tree with what the cache must key on: a macro reading the environment, a generated file
/// (`$(shell,…)`), a `source`, a choice and a warning in the load's diagnostics.
enum CacheFixture {
    static let files: [String: String] = [
        "/t/Kconfig": """
            mainmenu "Cache $(ARCH)"
            config A
            \tbool "a"
            \tdefault y
            config TAG
            \tstring "tag"
            \tdefault "$(ARCH)-$(shell,tag)"
            choice
            \tprompt "pick"
            config X
            \tbool "x"
            config Y
            \tbool "y"
            endchoice
            source "sub/Kconfig"
            source "missing/Kconfig"

            """,
        "/t/sub/Kconfig": "config B\n\tint \"b\"\n\trange 1 9\n\tdefault 4\n\tdepends on A && !(X || Y = n)\n",
    ]

    static func fileSystem(_ changes: [String: String] = [:]) -> InMemoryKconfigFileSystem {
        InMemoryKconfigFileSystem(files: files.merging(changes) { $1 })
    }

    static let shell = TableShellResolver(["tag": "t1\n"])

    static func load(_ fs: any KconfigFileSystem, environment: [String: String] = ["ARCH": "x86_64", "UNREAD": "1"],
                     cache: KconfigTreeCache?) -> (config: String, diagnostics: [Diagnostic]) {
        let (tree, diagnostics) = KconfigTree.load(root: "/t/Kconfig", fileSystem: fs, environment: environment,
                                                   shell: shell, cache: cache)
        let (configuration, more) = tree.evaluate(seed: ConfigReader.read("CONFIG_Y=y\n", file: "seed").assignments)
        return (ConfigWriter.write(configuration), diagnostics + more)
    }
}

@Suite struct KconfigTreeCacheTests {
    @Test func aSecondLoadOfTheSameInputsIsTakenFromMemory() {
        let cache = KconfigTreeCache()
        let fs = CacheFixture.fileSystem()
        let first = CacheFixture.load(fs, cache: cache)
        let second = CacheFixture.load(fs, cache: cache)
        #expect(cache.statistics == KconfigTreeCache.Counts(parsed: 1, memoryHits: 1, diskHits: 0))
        #expect(second.config == first.config)
        #expect(second.diagnostics == first.diagnostics)
        #expect(first.config == CacheFixture.load(fs, cache: nil).config)
        #expect(first.config.contains("CONFIG_TAG=\"x86_64-t1\""))
    }

    @Test func aChangedFileIsParsedAgain() {
        let cache = KconfigTreeCache()
        _ = CacheFixture.load(CacheFixture.fileSystem(), cache: cache)
        let changed = CacheFixture.fileSystem(["/t/sub/Kconfig": "config B\n\tint \"b\"\n\tdefault 5\n"])
        let result = CacheFixture.load(changed, cache: cache)
        #expect(cache.statistics.parsed == 2)
        #expect(result.config.contains("CONFIG_B=5"))
    }

    @Test func aFileThatAppearsWhereNoneWasIsParsedAgain() {
        let cache = KconfigTreeCache()
        _ = CacheFixture.load(CacheFixture.fileSystem(), cache: cache)
        let more = CacheFixture.fileSystem(["/t/missing/Kconfig": "config C\n\tbool \"c\"\n\tdefault y\n"])
        let result = CacheFixture.load(more, cache: cache)
        #expect(cache.statistics.parsed == 2)
        #expect(result.config.contains("CONFIG_C=y"))
    }

    @Test func onlyTheEnvironmentVariablesTheTreeReadsKeyIt() {
        let cache = KconfigTreeCache()
        let fs = CacheFixture.fileSystem()
        _ = CacheFixture.load(fs, cache: cache)
        _ = CacheFixture.load(fs, environment: ["ARCH": "x86_64", "UNREAD": "2"], cache: cache)
        #expect(cache.statistics == KconfigTreeCache.Counts(parsed: 1, memoryHits: 1, diskHits: 0))
        let arm = CacheFixture.load(fs, environment: ["ARCH": "arm64"], cache: cache)
        #expect(cache.statistics.parsed == 2)
        #expect(arm.config.contains("CONFIG_TAG=\"arm64-t1\""))
    }

    @Test func anotherShellResolverIsAnotherKey() {
        let cache = KconfigTreeCache()
        let fs = CacheFixture.fileSystem()
        _ = CacheFixture.load(fs, cache: cache)
        let (tree, _) = KconfigTree.load(root: "/t/Kconfig", fileSystem: fs, environment: ["ARCH": "x86_64"],
                                         shell: TableShellResolver(["tag": "t2\n"]), cache: cache)
        let (configuration, _) = tree.evaluate(seed: [])
        #expect(cache.statistics.parsed == 2)
        #expect(ConfigWriter.write(configuration).contains("CONFIG_TAG=\"x86_64-t2\""))
    }

    @Test func aTreeWrittenToDiskIsReadByTheNextProcessIdentically() throws {
        let folder = try TemporaryFolder()
        let fs = CacheFixture.fileSystem()
        let first = CacheFixture.load(fs, cache: KconfigTreeCache(directory: folder.path, producer: "test"))
        let reader = KconfigTreeCache(directory: folder.path, producer: "test")
        let second = CacheFixture.load(fs, cache: reader)
        #expect(reader.statistics == KconfigTreeCache.Counts(parsed: 0, memoryHits: 0, diskHits: 1))
        #expect(second.config == first.config)
        #expect(second.diagnostics == first.diagnostics)
        #expect(first.diagnostics.contains { $0.id == "kconfig-source-missing" })
    }

    /// A tree read ahead (decoding while the caller works out the environment) is the one the
    /// load takes, checked like any other: a stale one is parsed again, one never taken is harmless.
    @Test func aTreeReadAheadIsTakenByTheLoadAndCheckedFirst() throws {
        let folder = try TemporaryFolder()
        let fs = CacheFixture.fileSystem()
        let first = CacheFixture.load(fs, cache: KconfigTreeCache(directory: folder.path, producer: "test"))
        let reader = KconfigTreeCache(directory: folder.path, producer: "test")
        KconfigTree.prefetch(root: "/t/Kconfig", shell: CacheFixture.shell, cache: reader)
        KconfigTree.prefetch(root: "/t/Kconfig", shell: CacheFixture.shell, cache: reader)
        let second = CacheFixture.load(fs, cache: reader)
        #expect(reader.statistics == KconfigTreeCache.Counts(parsed: 0, memoryHits: 0, diskHits: 1))
        #expect(second.config == first.config && second.diagnostics == first.diagnostics)

        let stale = KconfigTreeCache(directory: folder.path, producer: "test")
        KconfigTree.prefetch(root: "/t/Kconfig", shell: CacheFixture.shell, cache: stale)
        let changed = CacheFixture.load(CacheFixture.fileSystem(["/t/sub/Kconfig": "config B\n\tint \"b\"\n\tdefault 6\n"]), cache: stale)
        #expect(stale.statistics == KconfigTreeCache.Counts(parsed: 1, memoryHits: 0, diskHits: 0))
        #expect(changed.config.contains("CONFIG_B=6"))

        let unused = KconfigTreeCache(directory: folder.path, producer: "test")
        KconfigTree.prefetch(root: "/t/Kconfig", shell: CacheFixture.shell, cache: unused)
        KconfigTree.prefetch(root: "/t/other", shell: CacheFixture.shell, cache: unused)
    }

    @Test func oneFilePerTreeHoldsTheLastKeyWrittenAndServesNoOther() throws {
        let folder = try TemporaryFolder()
        let fs = CacheFixture.fileSystem()
        _ = CacheFixture.load(fs, cache: KconfigTreeCache(directory: folder.path, producer: "p"))
        // Another resolver (in a Unikraft tree: another build folder): the file is not for it.
        let other = KconfigTreeCache(directory: folder.path, producer: "p")
        _ = KconfigTree.load(root: "/t/Kconfig", fileSystem: fs, environment: ["ARCH": "x86_64"],
                             shell: TableShellResolver(["tag": "t2\n"]), cache: other)
        #expect(other.statistics.parsed == 1)
        #expect(folder.files.filter { $0.hasSuffix(".bin") }.count == 1)
    }

    @Test func aFileOfAnotherProducerIsNotRead() throws {
        let folder = try TemporaryFolder()
        let fs = CacheFixture.fileSystem()
        _ = CacheFixture.load(fs, cache: KconfigTreeCache(directory: folder.path, producer: "old build"))
        let reader = KconfigTreeCache(directory: folder.path, producer: "new build")
        _ = CacheFixture.load(fs, cache: reader)
        #expect(reader.statistics.parsed == 1)
    }

    @Test func aStaleFileOnDiskIsParsedAgain() throws {
        let folder = try TemporaryFolder()
        _ = CacheFixture.load(CacheFixture.fileSystem(), cache: KconfigTreeCache(directory: folder.path, producer: "p"))
        let reader = KconfigTreeCache(directory: folder.path, producer: "p")
        let changed = CacheFixture.load(CacheFixture.fileSystem(["/t/sub/Kconfig": "config B\n\tint \"b\"\n\tdefault 6\n"]), cache: reader)
        #expect(reader.statistics.parsed == 1)
        #expect(changed.config.contains("CONFIG_B=6"))
    }

    /// A statically linked manifestc is larger than the biggest Kconfig file read: it still has an identity.
    @Test func aProgramLargerThanAKconfigFileHasAnIdentity() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/program"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(DiskKconfigFileSystem.maxFileBytes + 1))
        try handle.close()
        #expect(DiskKconfigFileSystem().fingerprint(of: path) == nil)
        #expect(DiskKconfigFileSystem.identity(of: path) != nil)
        #expect(DiskKconfigFileSystem.identity(of: folder.path) == nil)
    }

    /// Random trees (the differential tests' generator) through the disk form: the same `.config`.
    @Test func randomTreesSurviveTheDiskFormUnchanged() throws {
        let folder = try TemporaryFolder()
        for i in 0..<150 {
            var generator = RandomKconfig(seed: 0xC0FFEE &+ UInt64(i))
            let (kconfig, seedText) = generator.generate()
            let fs = InMemoryKconfigFileSystem(files: ["/r/Kconfig": kconfig])
            func plan(_ cache: KconfigTreeCache?) -> (String, [Diagnostic]) {
                let (tree, diagnostics) = KconfigTree.load(root: "/r/Kconfig", fileSystem: fs, cache: cache)
                let (configuration, more) = tree.evaluate(seed: ConfigReader.read(seedText, file: "seed").assignments)
                return (ConfigWriter.write(configuration), diagnostics + more)
            }
            let direct = plan(nil)
            _ = plan(KconfigTreeCache(directory: folder.path, producer: "\(i)"))
            let reader = KconfigTreeCache(directory: folder.path, producer: "\(i)")
            let cached = plan(reader)
            #expect(reader.statistics.diskHits == 1, "tree \(i)")
            #expect(cached.0 == direct.0, "tree \(i)")
            #expect(cached.1 == direct.1, "tree \(i)")
        }
    }
}

/// A folder under the temporary directory, removed when the value goes away.
final class TemporaryFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    var files: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path))?.map { path + "/" + $0 } ?? [] }
}
