import Diagnostics
import FoundationEssentials

/// Where a command's output goes: straight to stdout/stderr, or into buffers that are
/// printed later (one manifest of several compiled concurrently), so that the output of
/// different manifests never interleaves. Progress and notes go through `say`; every
/// diagnostic goes through `diagnostics`, the run's one engine, which renders onto this
/// console's standard error (or only collects, for `--format json`).
package final class Console: @unchecked Sendable {
    package let buffered: Bool
    /// The run's diagnostics.
    package private(set) var diagnostics: DiagnosticsEngine!
    private let lock = Lock()
    private var outText = ""
    private var errorText = ""

    /// - Parameters:
    ///   - input: how diagnostics are rendered (`--diagnostics-format`, `--color`).
    ///   - collectsDiagnostics: diagnostics are only collected (for a JSON document), not rendered.
    package init(buffered: Bool, input: InputSettings = InputSettings(), collectsDiagnostics: Bool = false) {
        self.buffered = buffered
        diagnostics = input.diagnosticsEngine(collectsOnly: collectsDiagnostics) { [unowned self] in self.error($0) }
    }

    /// Standard output: `text` as given (add the line break yourself).
    package func out(_ text: String) {
        if buffered {
            lock.withLock { outText += text }
        } else {
            FileDescriptorIO.standardOutput(text)
        }
    }

    /// Standard error: `text` as given.
    package func error(_ text: String) {
        if buffered {
            lock.withLock { errorText += text }
        } else {
            FileDescriptorIO.standardError(text)
        }
    }

    /// `manifestc: <text>` on standard error, one line (control characters escaped).
    package func say(_ text: String) { error("manifestc: \(VisibleText.escaped(text))\n") }

    /// What was buffered: standard output, standard error.
    package var captured: (out: String, error: String) { lock.withLock { (outText, errorText) } }
}

extension Console {
    /// Reports an error that belongs to no line of the input (a build that failed, a file
    /// that cannot be written) as a diagnostic: `error: message [id]`.
    package func fail(_ id: String, _ message: String) {
        diagnostics.report([.error(id, message, at: nil)])
    }
}
