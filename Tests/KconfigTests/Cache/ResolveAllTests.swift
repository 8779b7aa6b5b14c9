import Foundation
import Testing
import Kconfig

/// The disk file system resolves a cache's many paths together, each folder once: the answers must
/// be `realpath`'s, path by path, whatever links, gaps and odd spellings the paths hold.
@Suite struct ResolveAllTests {
    @Test func resolvingTogetherAnswersAsResolvingEachPath() throws {
        let folder = try TemporaryFolder()
        let root = folder.path
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/real/sub", withIntermediateDirectories: true)
        for file in ["/real/Config.uk", "/real/sub/Config.uk", "/plain"] { fm.createFile(atPath: root + file, contents: Data("x".utf8)) }
        try fm.createSymbolicLink(atPath: root + "/linked", withDestinationPath: "real")
        try fm.createSymbolicLink(atPath: root + "/real/alias.uk", withDestinationPath: "sub/Config.uk")
        try fm.createSymbolicLink(atPath: root + "/real/dangling", withDestinationPath: "nowhere")
        try fm.createSymbolicLink(atPath: root + "/real/loop", withDestinationPath: "loop")
        try fm.createSymbolicLink(atPath: root + "/real/subdir", withDestinationPath: root + "/real/sub")
        try fm.createSymbolicLink(atPath: root + "/top", withDestinationPath: "/")
        try fm.createSymbolicLink(atPath: root + "/file-as-folder", withDestinationPath: "plain")
        let names = ["real/Config.uk", "real/sub/Config.uk", "linked/Config.uk", "linked/sub/Config.uk", "real/alias.uk",
                     "linked/alias.uk", "real/dangling", "real/loop", "real/loop/Config.uk", "real/subdir", "real/subdir/Config.uk",
                     "real/missing.uk", "missing/Config.uk", "plain", "plain/Config.uk", "real", "linked", "real/sub/../Config.uk",
                     "real/./Config.uk", "real//Config.uk", "real/sub/", "top", "top/tmp", "top/nowhere",
                     "file-as-folder", "file-as-folder/Config.uk", "linked/subdir/Config.uk"]
        let paths = names.map { root + "/" + $0 } + ["/", "/tmp", "relative/Config.uk", "", root + "/real/Config.uk"]
        let fs = DiskKconfigFileSystem()
        #expect(fs.resolveAll(paths) == paths.map(fs.resolve))
        // The links are seen: the test is not passing on paths that resolve to themselves.
        #expect(fs.resolveAll([root + "/linked/Config.uk"]) == [fs.resolve(root + "/real/Config.uk")])
    }

    /// A cached tree whose `source` goes through a link: pointing the link elsewhere parses again.
    @Test func aSourcedFileBehindALinkThatMovesIsParsedAgain() throws {
        let folder = try TemporaryFolder()
        let root = folder.path
        let fm = FileManager.default
        for (name, value) in [("one", 1), ("two", 2)] {
            try fm.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try "config B\n\tint \"b\"\n\tdefault \(value)\n".write(toFile: root + "/" + name + "/Kconfig", atomically: true, encoding: .utf8)
        }
        try "source \"\(root)/lib/Kconfig\"\n".write(toFile: root + "/Kconfig", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/lib", withDestinationPath: "one")
        let cache = KconfigTreeCache()
        func load() -> String {
            let (tree, _) = KconfigTree.load(root: root + "/Kconfig", fileSystem: DiskKconfigFileSystem(), environment: [:],
                                             shell: TableShellResolver([:]), cache: cache)
            return ConfigWriter.write(tree.evaluate(seed: []).configuration)
        }
        #expect(load().contains("CONFIG_B=1"))
        #expect(load().contains("CONFIG_B=1"))
        #expect(cache.statistics.memoryHits == 1)
        try fm.removeItem(atPath: root + "/lib")
        try fm.createSymbolicLink(atPath: root + "/lib", withDestinationPath: "two")
        #expect(load().contains("CONFIG_B=2"))
        #expect(cache.statistics.parsed == 2)
    }
}
