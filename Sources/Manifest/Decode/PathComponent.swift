/// The rule for names that become one component of a path manifestc creates, reads or
/// deletes (a library's `libs/lib-<name>`, a template's `apps/<name>`, a target's build
/// folder): exactly one folder name, so that no name can reach outside its parent.
public enum PathComponent {
    /// What a safe component is, for messages.
    public static let rule = "one folder name: not empty, not '.' or '..', without '/', control characters or a leading '-', at most 200 bytes"

    /// Why `name` is not one safe component, or nil when it is.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name == "." || name == ".." { return "'\(name)' names a folder itself, not one inside it" }
        if name.contains("/") { return "it contains '/'" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "it contains a control character" }
        if name.hasPrefix("-") { return "it starts with '-', which a program would read as an option" }
        if name.utf8.count > 200 { return "it is longer than 200 bytes" }
        return nil
    }

    /// Whether `name` is one safe component.
    public static func isSafe(_ name: String) -> Bool { problem(name) == nil }
}
