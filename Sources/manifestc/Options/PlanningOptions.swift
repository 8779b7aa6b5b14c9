import ArgumentParser
import Driver

/// The Unikraft tree and library folders to plan with: shared by `emit`, `plan`, `explain` and `import`.
struct TreeOptions: ParsableArguments {
    @Option(name: .customLong("uk-root"), help: ArgumentHelp("A Unikraft source tree (default: $UK_ROOT, then the manifest's local unikraft source, then the workspace kraft.lock pins): plans get full configurations, import keeps only the options that matter.", valueName: "dir"))
    var ukRoot: String?

    @Option(name: .customLong("lib"), parsing: .singleValue, help: ArgumentHelp(
        "A library folder such as ../libs/lib-musl (repeatable): it stands for the manifest's library of that name (for import: part of the tree the configurations were made with).", valueName: "dir"))
    var libraries: [String] = []

    @Option(name: .customLong("uk-git-revision"), help: ArgumentHelp(
        "The commit of the Unikraft tree, when it is not a git checkout (it is part of CONFIG_UK_FULLVERSION).", valueName: "sha"))
    var ukGitRevision: String?
}

/// The options that choose what is planned: targets, the Unikraft tree and library
/// folders. Shared by `emit`, `plan` and `explain`.
struct PlanningOptions: ParsableArguments {
    @Option(name: .customLong("target"), parsing: .singleValue, help: ArgumentHelp(
        "Only this target: its id (qemu-x86_64, or its normalized name), its name, or platform/architecture (repeatable).", valueName: "target"))
    var targets: [String] = []

    @OptionGroup var tree: TreeOptions

    var ukRoot: String? { tree.ukRoot }
    var libraries: [String] { tree.libraries }
    var ukGitRevision: String? { tree.ukGitRevision }

    /// The options as the driver takes them.
    var settings: PlanningSettings {
        var settings = PlanningSettings()
        settings.targets = targets
        settings.ukRoot = tree.ukRoot
        settings.libraries = tree.libraries
        settings.ukGitRevision = tree.ukGitRevision
        return settings
    }
}
