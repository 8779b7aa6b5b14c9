import Foundation
import Testing
import TestSupport
@testable import Kconfig

/// Cache files are input too: a corrupt, truncated, forged or linked file is never trusted; the
/// tree is parsed again and the result is the same.
@Suite(.tags(.security)) struct SecurityKconfigTreeCacheTests {
    func written() throws -> (folder: TemporaryFolder, file: String, bytes: [UInt8], expected: String) {
        let folder = try TemporaryFolder()
        let expected = CacheFixture.load(CacheFixture.fileSystem(), cache: KconfigTreeCache(directory: folder.path, producer: "p")).config
        let file = try #require(folder.files.first { $0.hasSuffix(".bin") })
        let bytes = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        return (folder, file, bytes, expected)
    }

    func reload(_ folder: TemporaryFolder) -> (config: String, counts: KconfigTreeCache.Counts) {
        let cache = KconfigTreeCache(directory: folder.path, producer: "p")
        return (CacheFixture.load(CacheFixture.fileSystem(), cache: cache).config, cache.statistics)
    }

    @Test func everyFlippedByteIsCaughtAndTheTreeParsedAgain() throws {
        let (folder, file, bytes, expected) = try written()
        var rng = SplitMix64(seed: 15)
        for _ in 0..<60 {
            var damaged = bytes
            let i = Int.random(in: 0..<damaged.count, using: &rng)
            damaged[i] ^= UInt8.random(in: 1...255, using: &rng)
            try Data(damaged).write(to: URL(fileURLWithPath: file))
            let (config, counts) = reload(folder)
            #expect(config == expected)
            #expect(counts.diskHits == 0, "byte \(i)")
        }
    }

    @Test func truncatedFilesAreParsedAgain() throws {
        let (folder, file, bytes, expected) = try written()
        for length in [0, 1, 4, 5, 12, bytes.count / 2, bytes.count - 1] {
            try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: file))
            let (config, counts) = reload(folder)
            #expect(config == expected)
            #expect(counts.diskHits == 0, "length \(length)")
        }
    }

    /// Files with a valid checksum whose tree is damaged (ids out of range, unknown tags, counts
    /// past the end): decoding rejects them, or yields a tree the evaluator handles, never a crash.
    /// (A forged file can hold another tree: only the folder's owner can write it, as `readOwnFile` checks.)
    @Test func forgedFilesWithAValidChecksumAreRejected() throws {
        let (folder, file, bytes, expected) = try written()
        var rng = SplitMix64(seed: 16)
        let body = bytes.count - 8
        var rejected = 0
        for _ in 0..<200 {
            var forged = Array(bytes[..<body])
            let i = Int.random(in: 5..<forged.count, using: &rng)
            forged[i] = [0x00, 0x7F, 0xFF, forged[i] &+ 1][Int.random(in: 0..<4, using: &rng)]
            var w = ByteWriter()
            w.fixed64(FNV1a.hash(forged))
            try Data(forged + w.bytes).write(to: URL(fileURLWithPath: file))
            let (config, counts) = reload(folder)
            if counts.diskHits == 0 {
                rejected += 1
                #expect(config == expected, "byte \(i)")
            }
        }
        #expect(rejected > 100)
    }

    @Test func aCacheFileThatIsASymbolicLinkIsNotFollowed() throws {
        let (folder, file, bytes, expected) = try written()
        let elsewhere = try TemporaryFolder()
        let target = elsewhere.path + "/real.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: target)
        let (config, counts) = reload(folder)
        #expect(config == expected)
        #expect(counts.diskHits == 0)
    }
}
