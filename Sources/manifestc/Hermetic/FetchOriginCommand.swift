import ArgumentParser
import Foundation

/// `manifestc fetch-origin`: what `--build` gives Unikraft's make as `$(WGET)`. It takes
/// wget's arguments as Unikraft's `fetchas` passes them (`-q --show-progress
/// --progress=bar -O FILE URL`) and delivers the file through `OriginFetcher`, with the
/// settings of the state folder `MANIFESTC_ORIGIN_STATE` names. Not for direct use.
struct FetchOrigin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-origin",
        abstract: "Deliver one origin for a build (what --build gives make as WGET; not for direct use).",
        shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough, help: "wget's arguments: -O FILE URL (-q, --show-progress, --progress=… are accepted and ignored).")
    var words: [String] = []

    func run() throws {
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("manifestc: error: \(message)\n".utf8))
            return ExitCode.failure
        }
        guard let state = ProcessInfo.processInfo.environment[OriginSettings.environmentKey], state.hasPrefix("/") else {
            throw fail("fetch-origin runs inside 'manifestc --build' (\(OriginSettings.environmentKey) is not set)")
        }
        let folder = URL(fileURLWithPath: state)
        guard let data = try? OriginCache.read(folder.appendingPathComponent(OriginSettings.fileName), maxBytes: 64 << 20),
              let settings = try? JSONDecoder().decode(OriginSettings.self, from: data) else {
            throw fail("cannot read the settings in '\(state)'")
        }
        guard let (output, url) = Self.parse(words) else { throw fail("expected wget's arguments '-O FILE URL', got \(words.count) words") }
        let fetcher = OriginFetcher(settings: settings) { FileHandle.standardError.write(Data("manifestc: \($0)\n".utf8)) }
        let record = fetcher.fetch(url, to: output)
        let recordFile = folder.appendingPathComponent("\(OriginSettings.recordsFolder)/\(UUID().uuidString).json")
        if let encoded = try? JSONEncoder().encode(record) { try? OriginCache.writeAtomically(encoded, to: recordFile) }
        if let error = record.error { throw fail(error) }
    }

    /// The output file and the URL from wget's arguments; nil for anything else.
    static func parse(_ words: [String]) -> (output: String, url: String)? {
        var output: String?, url: String?
        var index = 0
        while index < words.count {
            let word = words[index]
            switch word {
            case "-q", "--quiet", "--show-progress", "-nv", "--no-verbose": break
            case "-O", "--output-document":
                index += 1
                guard index < words.count else { return nil }
                output = words[index]
            default:
                if word.hasPrefix("--progress=") { break }
                if word.hasPrefix("--output-document=") { output = String(word.dropFirst("--output-document=".count)); break }
                guard !word.hasPrefix("-"), url == nil else { return nil }
                url = word
            }
            index += 1
        }
        guard let output, let url else { return nil }
        return (output, url)
    }
}
