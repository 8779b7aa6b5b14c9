import FoundationEssentials
import Glibc
import Planner

/// Downloads one origin with `curl` (Debian's package): only https, http and file, also
/// after a redirect (no file:// then), within a deadline and a size bound, never prompting,
/// without the user's `.curlrc`. What curl prints is not shown: only its exit reason.
struct OriginDownloader {
    let timeout: Double
    let maxBytes: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    func download(_ url: String, into folder: URL) throws -> Data {
        let temporary = folder.appendingPathComponent(".manifestc-download-\(UUID().uuidString)")
        defer { unlink(temporary.path) }
        let arguments = ["-q", "--silent", "--show-error", "--fail", "--location", "--max-redirs", "5",
                         "--proto", "=https,http,file", "--proto-redir", "=https,http",
                         "--max-filesize", String(maxBytes), "--max-time", String(Int(timeout.rounded(.up))),
                         "--connect-timeout", "30", "--output", temporary.path, "--", url]
        let result: Subprocess.Result
        do {
            result = try Subprocess.run("curl", arguments, timeout: timeout + 10)
        } catch let error as Subprocess.LaunchError {
            throw Failure(description: "\(error.reason); install it with 'apt-get install curl' (Debian)")
        }
        if result.timedOut { throw Failure(description: "the download took longer than \(Int(timeout)) s") }
        guard result.status == 0 else {
            let last = result.output.split(separator: "\n").last.map { String($0.prefix(300)) } ?? "exit status \(result.status)"
            throw Failure(description: result.status == 63 ? "it is larger than \(maxBytes) bytes" : "curl: \(last)")
        }
        guard let data = try OriginCache.read(temporary, maxBytes: maxBytes) else { throw Failure(description: "curl wrote nothing") }
        return data
    }
}
