import FoundationEssentials
import Planner
import Manifest
import Diagnostics

/// Downloads that failed inside Unikraft's build. A library's origin archive is fetched by
/// the build with `wget -q` (`  WGET    libmusl: URL`, or the wget command itself with V=1), and
/// a failed download is removed, so make's output shows only the complaint of the next step
/// (`tar: …: Cannot open`, a checksum mismatch). This reads make's output, finds each download
/// that failed and says which URL, and why as far as the output tells.
enum FetchFailure {
    struct Download: Equatable {
        /// The library's build folder name (`libmusl`).
        var library: String
        var urls: [String]
        /// The archive's path, when a failing line names it.
        var archive: String?
        var reason: String
    }

    /// The downloads that failed, in the order the build started them.
    static func failures(in output: String) -> [Download] {
        let lines = output.split(separator: "\n").map(String.init)
        var started: [(library: String, urls: [String], line: Int)] = []
        for (number, line) in lines.enumerated() {
            if let download = announced(line) { started.append((download.library, download.urls, number)) }
        }
        var failed: [Download] = []
        for (index, download) in started.enumerated() {
            let end = index + 1 < started.count ? started[index + 1].line : lines.count
            let after = lines[(download.line + 1)..<end]
            let archiveNames = Set(download.urls.compactMap { $0.split(separator: "/").last.map(String.init) })
            // A line about this library's archive, or wget itself missing.
            func mentionsArchive(_ line: String) -> Bool {
                line.contains("/\(download.library)/") || archiveNames.contains { line.contains($0) }
            }
            if after.contains(where: { $0.contains("wget: not found") || $0.contains("wget: command not found") }) {
                failed.append(Download(library: download.library, urls: download.urls, archive: nil,
                                       reason: "wget is not installed; install it with 'apt-get install wget' (Debian)"))
                continue
            }
            guard let complaint = after.first(where: { line in
                mentionsArchive(line) && (line.contains("Cannot open") || line.contains("No such file") || line.contains("checksum validation failed")
                                          || line.contains("not in gzip format") || line.contains("Unexpected EOF"))
            }) else { continue }
            let reason: String
            if complaint.contains("checksum validation failed") {
                reason = "the file downloaded does not have the checksum the library pins (a changed or truncated file, or a captive portal's page)"
            } else if let message = after.first(where: { $0.contains("ERROR ") || $0.contains("unable to resolve host") || $0.contains("failed:") }) {
                reason = "wget: " + message.trimmingWhitespace()
            } else {
                reason = "wget left no file, and runs quietly (-q) in Unikraft's build: no network, the host unreachable, or the file gone"
            }
            failed.append(Download(library: download.library, urls: download.urls, archive: archivePath(complaint, library: download.library, names: archiveNames), reason: reason))
        }
        return failed
    }

    /// The sentences for the failure report.
    static func report(_ output: String) -> [String] {
        failures(in: output).map { d in
            let urls = d.urls.map { "'\($0)'" }.joined(separator: " or ")
            let place = d.archive.map { "; to build offline, put the file at '\($0)'" } ?? ""
            // The words come from make's output (a hostile tree's): shown escaped.
            return VisibleText.escaped("the build could not download \(urls) (\(d.library)): \(d.reason)\(place)")
        }
    }

    /// `  WGET    libmusl: URL` (and ` [retry-with: URL2]`), or a wget command line `… -O PATH URL`.
    static func announced(_ line: String) -> (library: String, urls: [String])? {
        let words = line.split(separator: " ").map(String.init)
        if words.count >= 3, words[0] == "WGET", words[1].hasSuffix(":") {
            var urls = [words[2]]
            if words.count >= 5, words[3] == "[retry-with:" { urls.append(String(words[4].dropLast(words[4].hasSuffix("]") ? 1 : 0))) }
            return (String(words[1].dropLast()), urls)
        }
        if let wget = words.firstIndex(where: { $0 == "wget" || $0.hasSuffix("/wget") }), let o = words[wget...].firstIndex(of: "-O"),
           o + 2 < words.count, words[o + 2].contains("://") {
            let path = words[o + 1].split(separator: "/").map(String.init)
            guard path.count >= 2 else { return nil }
            return (path[path.count - 2], [words[o + 2]])
        }
        return nil
    }

    /// The archive's path in a complaint (`tar: PATH: Cannot open…`, `/bin/sh: 1: PATH: No such file`,
    /// `PATH: SHA256 checksum validation failed`): the absolute path in the library's folder or named like the archive.
    static func archivePath(_ line: String, library: String, names: Set<String>) -> String? {
        for word in line.split(separator: " ") {
            let path = word.hasSuffix(":") ? String(word.dropLast()) : String(word)
            guard path.hasPrefix("/") else { continue }
            if path.contains("/\(library)/") || names.contains(String(path.split(separator: "/").last ?? "")) { return path }
        }
        return nil
    }
}
