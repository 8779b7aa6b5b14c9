import FoundationEssentials

/// Where every diagnostic of a run goes. It keeps them all (with the source texts they point
/// into), renders each report as text or as a JSON document, and decides the exit status:
/// 1 when any error was reported, else 0. With `collectsOnly` nothing is rendered: the
/// command embeds `diagnostics` in a document of its own (`--format json`).
public final class DiagnosticsEngine: @unchecked Sendable {
    /// How a report is rendered.
    public enum Format: String, Sendable, CaseIterable {
        /// `file:line:col: error: message [id]`, the source line, the caret, the notes.
        case text
        /// `Diagnostic.document`: one JSON document per report.
        case json
    }

    public let format: Format
    /// ANSI colour in text reports.
    public let color: Bool
    /// Keep the diagnostics without rendering them.
    public let collectsOnly: Bool
    private let write: @Sendable (String) -> Void
    private let lock = Lock()
    private var collected: [Diagnostic] = []
    private var texts: [String: SourceText] = [:]

    /// - Parameter write: receives each rendered report (standard error, or a buffer).
    public init(format: Format = .text, color: Bool = false, collectsOnly: Bool = false, write: @escaping @Sendable (String) -> Void) {
        self.format = format
        self.color = color
        self.collectsOnly = collectsOnly
        self.write = write
    }

    /// Records `diagnostics` and renders them (a JSON report is written even when empty: the
    /// reader expects one document).
    public func report(_ diagnostics: [Diagnostic], sources: [String: SourceText] = [:]) {
        lock.withLock {
            collected += diagnostics
            texts.merge(sources) { old, _ in old }
        }
        guard !collectsOnly, !diagnostics.isEmpty || format == .json else { return }
        write(render(diagnostics, sources: sources))
    }

    /// `diagnostics` in this engine's format.
    public func render(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> String {
        switch format {
        case .json: Diagnostic.document(diagnostics).json()
        case .text: DiagnosticRenderer(sources: sources, color: color).render(diagnostics)
        }
    }

    /// Every diagnostic reported so far, in the order reported.
    public var diagnostics: [Diagnostic] { lock.withLock { collected } }

    /// Every source text a report named.
    public var sources: [String: SourceText] { lock.withLock { texts } }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// 1 when an error was reported, else 0.
    public var exitCode: Int32 { hasErrors ? 1 : 0 }
}
