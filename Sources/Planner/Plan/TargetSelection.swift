import Manifest
import Diagnostics

/// How a command line names a target (`--target`, launch.sh's TARGET): by its id
/// (`qemu-x86_64`, or the normalized name of a named target), by its name as written,
/// or as `platform/architecture` in any accepted spelling (`kvm/x86_64`, `qemu/amd64`).
/// The one rule every command uses.
public enum TargetSelection {
    /// The target's id: its normalized name, or `<platform>-<architecture>`. It names the
    /// target's build folder, `.config.<id>` and make goal.
    public static func id(of target: Target) -> String {
        target.name.map { Naming.normalize($0.value) } ?? "\(target.platform.value.rawValue)-\(target.architecture.value.rawValue)"
    }

    /// Every spelling that names `target`, the id first; no duplicates.
    public static func spellings(of target: Target) -> [String] {
        let platforms = [target.platform.value.rawValue] + Platform.spellings.filter { $0.value == target.platform.value && $0.key != target.platform.value.rawValue }.keys.sorted()
        let architectures = [target.architecture.value.rawValue] + Architecture.spellings.filter { $0.value == target.architecture.value && $0.key != target.architecture.value.rawValue }.keys.sorted()
        var all = [id(of: target)]
        if let name = target.name?.value { all.append(name) }
        for platform in platforms { for architecture in architectures { all.append("\(platform)/\(architecture)") } }
        var seen = Set<String>()
        return all.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Whether `spelling` names `target`.
    public static func names(_ spelling: String, _ target: Target) -> Bool {
        spellings(of: target).contains(spelling)
    }

    /// A spelling that names no target.
    public struct Unknown: Error, Sendable, Equatable {
        public var spelling: String
        /// The targets' ids, for the message.
        public var known: [String]
        /// Every spelling of every target, for "did you mean".
        public var spellings: [String]

        /// `no target 'x' in the manifest; did you mean 'y'?; the targets are: …`
        public var message: String {
            "no target '\(spelling)' in the manifest\(Suggestion.didYouMean(spelling, among: spellings)); the targets are: \(known.joined(separator: ", "))"
        }
    }

    /// The targets `wanted` names, in the order asked, each once; every target when
    /// `wanted` is empty. A spelling may name several targets (`qemu/x86_64` names every
    /// QEMU x86_64 target).
    public static func select(_ wanted: [String], from targets: [Target]) -> Result<[Target], Unknown> {
        guard !wanted.isEmpty else { return .success(targets) }
        var selected: [Target] = []
        for spelling in wanted {
            let matches = targets.filter { names(spelling, $0) }
            guard !matches.isEmpty else { return .failure(Unknown(spelling: spelling, known: targets.map(id(of:)), spellings: targets.flatMap(spellings(of:)))) }
            selected += matches.filter { m in !selected.contains { $0.range == m.range && $0.file == m.file } }
        }
        return .success(selected)
    }
}
