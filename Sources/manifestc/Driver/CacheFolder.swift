import FoundationEssentials

/// manifestc's cache folder, shared by every workspace: `$XDG_CACHE_HOME/manifestc` when that is
/// absolute, else `$HOME/.cache/manifestc` (the home folder from the password database when
/// `HOME` is not absolute). It holds the parsed Kconfig trees and the origins (`origins/`).
enum CacheFolder {
    static func path(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/manifestc" }
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? PathText.home
        return home + "/.cache/manifestc"
    }
}
