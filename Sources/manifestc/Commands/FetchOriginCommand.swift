import ArgumentParser
import Driver
import FoundationEssentials

/// `manifestc fetch-origin`: what `--build` gives Unikraft's make as `$(WGET)`. It takes
/// wget's arguments as Unikraft's `fetchas` passes them (`-q --show-progress
/// --progress=bar -O FILE URL`) and delivers the file through `OriginFetcher`, with the
/// settings of the state folder `MANIFESTC_ORIGIN_STATE` names. Not for direct use.
struct FetchOrigin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-origin",
        _superCommandName: "manifestc",
        abstract: "Deliver one origin for a build (what --build gives make as WGET; not for direct use).",
        shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough, help: "wget's arguments: -O FILE URL (-q, --show-progress, --progress=… are accepted and ignored).")
    var words: [String] = []

    func run() throws {
        try FetchOriginPhase.run(words, environment: ProcessInfo.processInfo.environment, console: Console(buffered: false))
    }
}
