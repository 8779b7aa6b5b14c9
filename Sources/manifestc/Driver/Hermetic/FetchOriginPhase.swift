import FoundationEssentials

/// What `manifestc fetch-origin` does as Unikraft's `$(WGET)` during `--build`: it takes wget's
/// arguments as Unikraft's `fetchas` passes them (`-q --show-progress --progress=bar -O FILE URL`),
/// delivers the file through `OriginFetcher` with the settings of the state folder
/// `MANIFESTC_ORIGIN_STATE` names, and leaves a record for the build to pin in kraft.lock.
package enum FetchOriginPhase {
    /// Delivers the origin wget's arguments `words` name, with the settings of the state folder
    /// `environment` names; a diagnostic and a failure when it cannot.
    package static func run(_ words: [String], environment: [String: String], console: Console) throws {
        func fail(_ message: String) -> DriverError {
            console.fail("origin-refused", message)
            return DriverError.failure
        }
        guard let state = environment[OriginSettings.environmentKey], state.hasPrefix("/") else {
            throw fail("fetch-origin runs inside 'manifestc --build' (\(OriginSettings.environmentKey) is not set)")
        }
        let folder = URL(fileURLWithPath: state)
        guard let data = try? OriginCache.read(folder.appendingPathComponent(OriginSettings.fileName), maxBytes: 64 << 20),
              let settings = try? JSONDecoder().decode(OriginSettings.self, from: data) else {
            throw fail("cannot read the settings in '\(state)'")
        }
        guard let (output, url) = Self.parse(words) else { throw fail("expected wget's arguments '-O FILE URL', got \(words.count) words") }
        let fetcher = OriginFetcher(settings: settings) { console.say($0) }
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
