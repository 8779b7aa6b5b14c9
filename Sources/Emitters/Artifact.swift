import Planner

/// The kinds of file manifestc generates, as named by `--emit`.
public enum Artifact: String, CaseIterable, Sendable {
    case config, defconfig, makefile, launch, qemuGuest = "qemu-guest", firecracker, xen

    /// Every artifact of `kinds` for `plan`, sorted by path.
    public static func emit(_ kinds: Set<Artifact>, plan: Plan) -> [EmittedFile] {
        var files: [EmittedFile] = []
        for kind in allCases where kinds.contains(kind) {
            switch kind {
            case .config: files += ConfigEmitter.emitConfigs(plan)
            case .defconfig: files += ConfigEmitter.emitSeeds(plan)
            case .makefile where plan.targets.contains { !$0.prebuilt }:
                files.append(MakefileEmitter.emit(plan))
            case .makefile: break
            case .launch: files.append(LaunchScriptEmitter.emit(plan))
            case .qemuGuest: files.append(QemuGuestEmitter.emit(source: plan.source))
            case .firecracker: files += FirecrackerEmitter.emit(plan)
            case .xen: files += XenEmitter.emit(plan)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
