/// Unicode scalars stripped from both ends of a text, scalar by scalar as Foundation's
/// `trimmingCharacters(in:)` strips them: the one trimming rule of the Makefile and
/// version-file readers, the import and the driver.
extension StringProtocol {
    /// Without the scalars of `set` at either end.
    public func trimmingCharacters(in set: String) -> String {
        trimming { set.unicodeScalars.contains($0) }
    }

    /// Without spaces and tabs at either end: Unicode's space separators, the tab and the
    /// zero width space (Foundation's `.whitespaces`, which keeps U+200B from old Unicode).
    public func trimmingWhitespace() -> String {
        trimming { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// Without white space and line breaks at either end: Unicode's White_Space scalars and the
    /// zero width space (Foundation's `.whitespacesAndNewlines`).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { $0 == "\u{200B}" || $0.properties.isWhitespace }
    }

    private func trimming(where stripped: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !stripped($0) }),
              let last = scalars.lastIndex(where: { !stripped($0) }) else { return "" }
        return String(Substring(scalars[first...last]))
    }
}
