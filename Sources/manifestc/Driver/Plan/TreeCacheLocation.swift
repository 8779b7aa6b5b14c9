import FoundationEssentials
import Kconfig

/// The Kconfig tree cache of this process: trees are shared by every manifest and target the
/// process plans, and kept in `$XDG_CACHE_HOME/manifestc` (`~/.cache/manifestc`) for the next
/// process. `MANIFESTC_NO_CACHE=1` keeps them in memory only.
enum TreeCacheLocation {
    static let shared: KconfigTreeCache = {
        let environment = ProcessInfo.processInfo.environment
        // Files written by another build of manifestc are not read: it may parse differently.
        guard environment["MANIFESTC_NO_CACHE"].map({ $0.isEmpty || $0 == "0" }) ?? true,
              let producer = DiskKconfigFileSystem.identity(of: "/proc/self/exe") else { return KconfigTreeCache() }
        return KconfigTreeCache(directory: CacheFolder.path(environment), producer: producer)
    }()
}
