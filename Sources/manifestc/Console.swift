import Foundation
import Manifest
import Diagnostics

/// Where a command's output goes: straight to stdout/stderr, or into buffers that are
/// printed later (one manifest of several compiled concurrently), so that the output of
/// different manifests never interleaves. Diagnostics are also kept as values, for
/// `--format json`.
final class Console: @unchecked Sendable {
    /// Prints as it goes.
    static let standard = Console(buffered: false)

    let buffered: Bool
    /// Diagnostics are only collected (for a JSON document), not rendered on stderr.
    let collectsDiagnostics: Bool
    private let lock = NSLock()
    private var outText = ""
    private var errorText = ""
    private var collected: [Diagnostic] = []

    init(buffered: Bool, collectsDiagnostics: Bool = false) {
        self.buffered = buffered
        self.collectsDiagnostics = collectsDiagnostics
    }

    /// Standard output: `text` as given (add the line break yourself).
    func out(_ text: String) {
        if buffered {
            lock.withLock { outText += text }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Standard error: `text` as given.
    func error(_ text: String) {
        if buffered {
            lock.withLock { errorText += text }
        } else {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// `manifestc: <text>` on standard error, one line (control characters escaped).
    func say(_ text: String) { error("manifestc: \(VisibleText.escaped(text))\n") }

    func record(_ diagnostics: [Diagnostic]) { lock.withLock { collected += diagnostics } }

    /// What was buffered: standard output, standard error.
    var captured: (out: String, error: String) { lock.withLock { (outText, errorText) } }

    /// Every diagnostic reported so far.
    var diagnostics: [Diagnostic] { lock.withLock { collected } }
}
