/// The rules for origin URLs and for checking what was downloaded: pure functions of values.
public enum OriginRules {
    /// The schemes an origin may use.
    public static let allowedSchemes = ["https", "http", "file"]
    /// The longest URL accepted.
    public static let urlLimit = 4096

    /// Why `url` may not be fetched, or nil when it may.
    public static func urlProblem(_ url: String) -> String? {
        guard url.utf8.count <= urlLimit else { return "the URL is longer than \(urlLimit) bytes" }
        guard !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
            return "the URL holds a space or a control character"
        }
        guard let colon = url.firstIndex(of: ":") else { return "the URL has no scheme; use one of \(allowedSchemes.joined(separator: ", "))" }
        let scheme = url[..<colon].lowercased()
        guard allowedSchemes.contains(scheme), url[colon...].hasPrefix("://") else {
            return "the scheme '\(scheme)' is not allowed; use one of \(allowedSchemes.joined(separator: ", "))"
        }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") { return "the URL holds a user name or password" }
        if scheme != "file" && authority.isEmpty { return "the URL names no host" }
        return nil
    }

    /// `url` as it may be shown: a user name or password in it replaced by `***`.
    public static func redacted(_ url: String) -> String {
        guard let start = url.firstRange(of: "://")?.upperBound else { return url }
        let authorityEnd = url[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[start..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<start]) + "***" + String(url[at...])
    }

    /// The file name a mirror keeps `url` under: its last path component, when that is one
    /// plain folder entry; nil otherwise.
    public static func mirrorName(_ url: String) -> String? {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init),
              !last.isEmpty, last != ".", last != "..", !last.hasPrefix("-"),
              last.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" }) else { return nil }
        return last
    }

    /// The hash the download of `url` must have, and who states it: the lock first, then a
    /// library's `Library.uk`. Both must agree with the download (see `verify`).
    public static func verify(url: String, sha256 actual: String, pin: OriginPin?, stated: StatedOrigin?) -> OriginMismatch? {
        if let pin, pin.sha256 != actual {
            return OriginMismatch(url: url, expectedBy: "kraft.lock", expected: pin.sha256, actual: actual)
        }
        if let stated, stated.sha256 != actual {
            return OriginMismatch(url: url, expectedBy: "the Library.uk of '\(stated.library)'", expected: stated.sha256, actual: actual)
        }
        return nil
    }

    /// The lock's origins with `recorded` added (a URL already pinned keeps its pin), sorted by URL.
    public static func merge(_ pinned: [OriginPin], _ recorded: [OriginPin]) -> [OriginPin] {
        var byURL: [String: OriginPin] = [:]
        for pin in recorded { byURL[pin.url] = pin }
        for pin in pinned { byURL[pin.url] = pin }
        return byURL.values.sorted { $0.url < $1.url }
    }
}
