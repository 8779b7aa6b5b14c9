import Foundation
import Testing
import TestSupport
@testable import Emitters

/// The emitted `qemu-guest`, written once per test run into a temporary folder, next to a
/// stand-in QEMU. The stand-in answers the script's questions like QEMU 7.2 (TCG lacks
/// x2apic and rdseed; KVM is listed only with FAKE_QEMU_KVM, and its probe guest exits only
/// when that is `works`; with `hangs`, a paused start works but every guest under KVM says
/// "KVM internal error" and QEMU hangs, as on a broken nested KVM), records the arguments of every other call, NUL-separated, in the file
/// FAKE_QEMU_ARGV, and exits with FAKE_QEMU_STATUS.
enum QemuGuestScript {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifestc-qemu-guest-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = QemuGuestEmitter.emit(source: "kraft.yaml")
        write(file.contents, to: folder.appendingPathComponent(file.path).path, mode: file.mode)
        write(fakeQemu, to: folder.appendingPathComponent("fake-qemu").path, mode: 0o755)
        for name in ["kern", "initrd"] { write("", to: folder.appendingPathComponent(name).path, mode: 0o644) }
        atexit { try? FileManager.default.removeItem(at: QemuGuestScript.folder) }
        return folder
    }()

    static var path: String { folder.appendingPathComponent(QemuGuestEmitter.path).path }
    static var fakeQemuPath: String { folder.appendingPathComponent("fake-qemu").path }

    private static func write(_ text: String, to path: String, mode: Int) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
    }

    private static let fakeQemu = #"""
        #!/usr/bin/env bash
        case " $* " in
        *" -machine help "*)
            printf '%s\n' 'pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)' \
                'pc-i440fx-7.0        Standard PC (i440FX + PIIX, 1996)' 'q35                  Standard PC (Q35 + ICH9, 2009)'
            exit 0 ;;
        *" -accel help "*)
            printf '%s\n' 'Accelerators supported in QEMU binary:' tcg
            [ -n "${FAKE_QEMU_KVM:-}" ] && echo kvm
            exit 0 ;;
        esac
        if [ "${FAKE_QEMU_KVM:-}" = hangs ] && [[ " $* " == *" -accel kvm "* || " $* " == *accel=kvm* ]] && [[ " $* " != *" -S "* ]]; then
            # A nested KVM that QEMU opens but that fails every guest; QEMU waits.
            printf '%s\n' "KVM internal error. Suberror: 1" "emulation failure" >&2
            exec sleep 40 </dev/null >/dev/null 2>&1
        fi
        case " $* " in
        *" -nodefaults "*" -accel kvm "*|*" -accel kvm "*" -nodefaults "*)
            cat >/dev/null
            case "${FAKE_QEMU_KVM:-}" in works|hangs) ;; *) exit 134 ;; esac
            case " $* " in *" -S "*) exit 0 ;; *isa-debug-exit*) exit 83 ;; esac
            exit 0 ;;
        *" -nodefaults "*)
            cat >/dev/null
            echo "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.01H:ECX.x2apic [bit 21]" >&2
            echo "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.07H:EBX.rdseed [bit 18]" >&2
            exit 0 ;;
        esac
        printf '%s\0' "$@" >"$FAKE_QEMU_ARGV"
        exit "${FAKE_QEMU_STATUS:-0}"

        """#

    /// Runs the script with `arguments` in the script's folder, QEMU being the stand-in.
    static func run(_ arguments: [String], environment: [String: String] = [:], fake: Bool = true) throws -> ProcessOutput {
        try Subprocess.run("/usr/bin/timeout", ["20", path] + (fake ? ["-Q", fakeQemuPath] : []) + arguments,
                           in: folder, environment: environment)
    }

    /// Runs `arguments` through the script: with `-D`, pastes the printed command into `shell`
    /// and returns the arguments the stand-in QEMU received; without, returns those it got
    /// from the script itself.
    static func argv(_ arguments: [String], dryRun: Bool, shell: String = "/bin/sh", environment: [String: String] = [:]) throws -> (argv: [String], output: ProcessOutput) {
        let record = folder.appendingPathComponent("argv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: record) }
        let env = environment.merging(["FAKE_QEMU_ARGV": record]) { $1 }
        let output = try run((dryRun ? ["-D"] : []) + arguments, environment: env)
        guard output.status == 0 else { return ([], output) }
        if dryRun {
            #expect(FileManager.default.fileExists(atPath: record) == false, "-D must not start QEMU")
            #expect(output.stdout.hasSuffix("\n"))
            let pasted = try Subprocess.run(shell, ["-c", String(output.stdout.dropLast())], in: folder, environment: env)
            #expect(pasted.status == 0, "the -D line does not run: \(pasted.stderr)")
        }
        guard let data = FileManager.default.contents(atPath: record) else { return ([], output) }
        var words = String(decoding: data, as: UTF8.self).components(separatedBy: "\0")
        if words.last == "" { words.removeLast() }
        return ([QemuGuestScript.fakeQemuPath] + words, output)
    }
}
