import FoundationEssentials
import Planner

/// `launch.sh`: runs one target's image. QEMU (x86_64, arm64, arm) with KVM when it is
/// usable and TCG otherwise, Firecracker with the emitted `<target>.json`, Xen with the
/// emitted `<target>.cfg` (`xl create`), linuxu by running the ELF. The plan decides every
/// value (`LaunchData`, the script's data block); the bash executes them, and only what the
/// command line overrides (memory, vCPUs, kernel, arguments) is encoded at run time.
/// Everything from the manifest is shell-quoted.
public enum LaunchScriptEmitter {
    public static func emit(_ plan: Plan) -> EmittedFile {
        let q = ShellQuote.quote
        // TARGET is any spelling of a target (`TargetSelection`); one that names several is refused.
        var named: [String: [String]] = [:]
        for target in plan.targets { for spelling in target.spellings { named[spelling, default: []].append(target.id) } }
        var cases = ""
        for (spelling, ids) in named.sorted(by: { $0.key < $1.key }) where ids.count > 1 {
            cases += "    \(q(spelling))) die 2 \"'$target' names several targets (\(ids.joined(separator: ", "))); give one of them\" ;;\n"
        }
        for target in plan.targets {
            cases += "    \(target.spellings.filter { named[$0]?.count == 1 }.map(q).joined(separator: "|")))\n"
            cases += LaunchData(target).lines(indent: "        ").map { $0 + "\n" }.joined() + "        ;;\n"
        }
        let ids = plan.targets.map(\.id)
        let script = TemplateFiller.fill(template, KVMProbe.placeholders.merging([
            "NAME": plan.name,
            "TARGET_LIST": ids.joined(separator: ", "),
            "TARGETS": ids.map(q).joined(separator: " "),
            // Target ids are normalized names ([a-z0-9_-]): single quotes are enough.
            "DEFAULT_TARGET": "'\(ids.first ?? "")'",
            "CASES": cases,
        ]) { a, _ in a })
        return EmittedFile(path: "launch.sh", contents: GeneratedHeader.apply(to: script, source: plan.source), executable: true)
    }

    static let template = #"""
        #!/usr/bin/env bash
        # Runs a target of @NAME@ (@TARGET_LIST@).
        set -euo pipefail

        usage() {
            cat <<'USAGE'
        Usage: ./launch.sh [options] [TARGET] [-- APPLICATION ARGUMENTS]

        Runs the image of TARGET (default: the first target) built by make. TARGET is a
        target's id (qemu-x86_64), its name, or platform/architecture (qemu/x86_64).
        Arguments after -- replace the application arguments from the manifest.

        Options:
          -n, --dry-run        print the command, shell-quoted, instead of running it
              --kvm            use KVM without testing it first
              --tcg            use QEMU's emulation (TCG) even when KVM is usable
                               (without either: KVM when a tiny test guest runs under it)
          -m, --memory MB      memory in MiB
          -c, --cpus N         number of vCPUs
          -p, --port HOST:GUEST  forward a host TCP port to the guest (QEMU user networking)
          -k, --kernel PATH    boot this image instead of the built one
          -h, --help           show this help

        Exit status: the guest's (QEMU x86: 0 when Unikraft halts normally, 1 when it
        crashes), the VMM's own status when the VMM fails, 2 on a usage error.
        USAGE
        }

        die() { printf 'launch.sh: %s\n' "$2" >&2; exit "$1"; }

        app_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
        targets=(@TARGETS@)
        target="" accel=auto dry_run=0 memory="" vcpus="" kernel=""
        ports=() args=() args_given=0

        while [ $# -gt 0 ]; do
            case "$1" in
                -h|--help) usage; exit 0 ;;
                -n|--dry-run) dry_run=1 ;;
                --kvm) accel=kvm ;;
                --tcg) accel=tcg ;;
                -m|--memory|-c|--cpus|-p|--port|-k|--kernel)
                    [ $# -ge 2 ] || die 2 "option '$1' needs a value"
                    case "$1" in
                        -m|--memory) memory=$2 ;;
                        -c|--cpus) vcpus=$2 ;;
                        -p|--port) ports+=("$2") ;;
                        -k|--kernel) kernel=$2 ;;
                    esac
                    shift ;;
                --) shift; args=("$@"); args_given=1; break ;;
                -*) die 2 "unknown option '$1' (see --help)" ;;
                *) [ -z "$target" ] || die 2 "only one target can be run at a time"; target=$1 ;;
            esac
            shift
        done
        [ -n "$target" ] || target=@DEFAULT_TARGET@

        # shellcheck disable=SC2034 # argv0_supplied and params are there for 'manifestc import'
        case "$target" in
        @CASES@    *) die 2 "unknown target '$target'; the targets are: ${targets[*]}" ;;
        esac

        [ "$args_given" = 1 ] || args=(${default_args[@]+"${default_args[@]}"})
        # What the command line gives replaces the VMM configuration's own value; the rest stays as emitted.
        memory_given=$memory vcpus_given=$vcpus kernel_given=$kernel
        memory=${memory:-$default_memory}
        vcpus=${vcpus:-$default_vcpus}
        [[ "$memory" =~ ^[1-9][0-9]*$ ]] || die 2 "memory must be a number of MiB, not '$memory'"
        [[ "$vcpus" =~ ^[1-9][0-9]*$ ]] || die 2 "the vCPU count must be a number, not '$vcpus'"
        if [ -z "$kernel" ]; then
            [ -n "$image" ] || die 2 "target '$target' runs a prebuilt kernel (the manifest's runtime); give its path with -k PATH"
            kernel="$app_dir/$image"
        else
            case "$kernel" in /*) ;; *) kernel="$PWD/$kernel" ;; esac
        fi
        absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$app_dir" "${1#./}" ;; esac; }

        # One argument as Unikraft's command-line parser reads it back.
        uk_quote() {
            local s=$1
            case "$s" in
                ''|*[[:space:]\'\"\\]*) s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s" ;;
                *) printf '%s' "$s" ;;
            esac
        }

        # The words after argv[0]: the head the plan decided (its separated form when the
        # arguments hold a --), then the arguments.
        cmdline_words() {
            local a
            words=(${cmdline_head[@]+"${cmdline_head[@]}"})
            for a in ${args[@]+"${args[@]}"}; do
                [ "$a" != "--" ] || { words=("${cmdline_head_separated[@]}"); break; }
            done
            words+=(${args[@]+"${args[@]}"})
        }

        cmdline() {
            local w out=""
            cmdline_words
            for w in ${words[@]+"${words[@]}"}; do out+="${out:+ }$(uk_quote "$w")"; done
            printf '%s' "$out"
        }

        # A JSON string (and an xl one): '\' and '"' escaped, line breaks and tabs as \n, \r,
        # \t, every other control character as \uXXXX.
        json_string() {
            local s=$1 out="" c i
            s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
            if [[ "$s" == *[[:cntrl:]]* ]]; then
                for ((i = 0; i < ${#s}; i++)); do
                    c=${s:i:1}
                    if [[ "$c" == [[:cntrl:]] ]]; then printf -v c '\\u%04x' "'$c"; fi
                    out+=$c
                done
                s=$out
            fi
            printf '"%s"' "$s"
        }

        # A value inside a QEMU option list (key=value,...): a literal comma is written twice.
        opt_value() { printf '%s' "${1//,/,,}"; }

        # A word for a POSIX shell: as is when it is plain, else in single quotes.
        shell_quote() {
            case "$1" in
                *[!A-Za-z0-9_./=:,+@%-]*|'') printf "'%s'" "${1//\'/\'\\\'\'}" ;;
                *) printf '%s' "$1" ;;
            esac
        }

        # A command for /bin/sh -c that runs the words as they are, on the pseudo-terminal that
        # script makes (whose line ends are left as the program writes them).
        pty_command() {
            local line="stty -onlcr 2>/dev/null; exec" w
            for w in "$@"; do line+=" $(shell_quote "$w")"; done
            printf '%s' "$line"
        }

        # A VMM configuration file as manifestc writes it (one "key": value a line), with the value
        # of each KEY VALUE pair given in place of its own; every KEY must be there.
        config_with() {
            local file=$1 line rest indent i replaced=0
            shift
            local pairs=("$@")
            while IFS= read -r line || [ -n "$line" ]; do
                indent=${line%%[![:space:]]*} rest=${line#"$indent"}
                for ((i = 0; i < ${#pairs[@]}; i += 2)); do
                    if [[ "$rest" == "\"${pairs[i]}\": "* ]]; then
                        line="$indent\"${pairs[i]}\": ${pairs[i + 1]}${rest##*[!,]}"
                        replaced=$((replaced + 1))
                    fi
                done
                printf '%s\n' "$line"
            done <"$file"
            [ "$replaced" = $((${#pairs[@]} / 2)) ] || die 1 "$file is not laid out as manifestc writes it (one \"key\": value a line); regenerate it, or run without -k, -m, -c and arguments"
        }

        run() {
            if [ "$dry_run" = 1 ]; then
                local line="" w
                for w in "$@"; do line+="${line:+ }$(shell_quote "$w")"; done
                printf '%s\n' "$line"
                exit 0
            fi
            "$@"
        }

        # Whether KVM really runs guests here (sets kvm_problem when /dev/kvm is there but does not).
        # QEMU can start with a /dev/kvm that fails the guest ("KVM internal error ... emulation
        # failure", after which QEMU hangs, as under some nested virtualisation): a 64-byte guest
        # that does what Unikraft's boot does first (on x86_64: turn on SSE) must exit under KVM,
        # with the run's machine and CPU, within 5 seconds.
        kvm_works() {
            local qemu=$1 machine=$2 cpu=$3 host probe output line status=0 expected=0 probe_device=()
            kvm_problem=""
            host=$(uname -m)
            case "$arch:$host" in x86_64:x86_64|arm64:aarch64) ;; *) return 1 ;; esac
            [ -e /dev/kvm ] || return 1
            if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then kvm_problem="no read and write access to /dev/kvm (group kvm?)"; return 1; fi
            "$qemu" -accel help 2>/dev/null | grep -qx kvm || { kvm_problem="$qemu was built without KVM"; return 1; }
            probe=$(mktemp)
            if [ "$arch" = x86_64 ]; then
                printf @KVM_PROBE_X86_64@ >"$probe"
                expected=83 probe_device=(-device "isa-debug-exit,iobase=0x501,iosize=2")
            else
                printf @KVM_PROBE_ARM64@ >"$probe"
            fi
            # In a subshell with stderr to /dev/null: bash's report of a QEMU killed by a signal is
            # dropped, QEMU's own messages are kept for the reason.
            output=$( (timeout -k 1 5 "$qemu" -enable-kvm -machine "$machine,accel=kvm" -cpu "$cpu" -m 16 -nodefaults -display none \
                -serial none -no-reboot ${probe_device[@]+"${probe_device[@]}"} -kernel "$probe" </dev/null 2>&1 >/dev/null; exit $?) 2>/dev/null) || status=$?
            rm -f "$probe"
            [ "$status" != "$expected" ] || return 0
            case "$output" in *"KVM internal error"*) kvm_problem="KVM internal error" ;; esac
            if [ "$status" = 124 ] || [ "$status" = 137 ]; then
                kvm_problem="${kvm_problem:+$kvm_problem: }a test guest did not finish within 5 seconds"
            elif [ -z "$kvm_problem" ]; then
                while IFS= read -r line; do
                    case "$line" in *error*) kvm_problem=$line; break ;; esac
                done <<<"$output"
                kvm_problem=${kvm_problem:-${output%%$'\n'*}}
                kvm_problem=${kvm_problem#"${qemu##*/}: "}
                kvm_problem="a test guest failed with status $status${kvm_problem:+: ${kvm_problem#error: }}"
            fi
            return 1
        }

        run_qemu() {
            local qemu machine cpu use_kvm=0 i
            case "$arch" in
                x86_64) qemu=qemu-system-x86_64 machine=pc ;;
                arm64) qemu=qemu-system-aarch64 machine=virt ;;
                arm) qemu=qemu-system-arm machine=virt ;;
            esac
            command -v "$qemu" >/dev/null || [ "$dry_run" = 1 ] || die 127 "$qemu is not installed (Debian: apt-get install qemu-system-$([ "$arch" = x86_64 ] && echo x86 || echo arm))"
            local kvm_cpu=host kvm_problem=""
            [ "$arch" != x86_64 ] || kvm_cpu=host,+x2apic,-pmu
            case "$accel" in
                kvm) use_kvm=1 ;;
                auto)
                    if command -v "$qemu" >/dev/null; then
                        if kvm_works "$qemu" "$machine" "$kvm_cpu"; then
                            use_kvm=1
                        elif [ -n "$kvm_problem" ]; then
                            printf 'launch.sh: KVM is present but cannot run guests here (%s); using TCG (--kvm forces KVM)\n' "$kvm_problem" >&2
                        fi
                    fi ;;
            esac
            if [ "$use_kvm" = 1 ]; then
                cmd=("$qemu" -enable-kvm -machine "$machine,accel=kvm" -cpu "$kvm_cpu")
            else
                case "$arch" in arm) cpu=cortex-a15 ;; *) cpu=max ;; esac
                cmd=("$qemu" -machine "$machine,accel=tcg" -cpu "$cpu")
            fi
            cmd+=(-m "$memory" -smp "$vcpus" -nodefaults -display none -serial stdio -no-reboot)
            [ "$arch" != x86_64 ] || cmd+=(-device "isa-debug-exit,iobase=0x501,iosize=2")
            local virtio=disable-modern=on,disable-legacy=off
            for i in ${shares[@]+"${!shares[@]}"}; do
                local path ro=""
                path=$(absolute "${shares[$i]}")
                [ "${share_readonly[$i]}" = 0 ] || ro=,readonly=on
                cmd+=(-fsdev "local,id=fsdev$i,path=$(opt_value "$path"),security_model=none$ro"
                      -device "virtio-9p-pci,fsdev=fsdev$i,mount_tag=$(opt_value "${share_tags[$i]}"),$virtio")
            done
            local nets=(${networks[@]+"${networks[@]}"})
            if [ ${#ports[@]} -gt 0 ] && [ ${#nets[@]} -eq 0 ]; then nets=(user); fi
            local forwarded=0
            for i in ${nets[@]+"${!nets[@]}"}; do
                local netdev
                case "${nets[$i]}" in
                    user)
                        netdev="user,id=net$i"
                        if [ "$forwarded" = 0 ]; then
                            local p
                            for p in ${ports[@]+"${ports[@]}"}; do
                                [[ "$p" =~ ^[0-9]+:[0-9]+$ ]] || die 2 "a port forward is HOST:GUEST, not '$p'"
                                netdev+=",hostfwd=tcp::${p%%:*}-:${p##*:}"
                            done
                            forwarded=1
                        fi ;;
                    bridge:*) netdev="bridge,id=net$i,br=$(opt_value "${nets[$i]#bridge:}")" ;;
                    tap:*) netdev="tap,id=net$i,ifname=$(opt_value "${nets[$i]#tap:}"),script=no,downscript=no" ;;
                esac
                cmd+=(-netdev "$netdev" -device "virtio-net-pci,netdev=net$i,$virtio")
            done
            # On x86, QEMU's multiboot loader puts the kernel's path before the command line,
            # where Unikraft reads it as argv[0]: a space or a quote in it would shift argv.
            if [ "$arch" = x86_64 ]; then
                case "$kernel" in *[[:space:]\'\"\\]*) die 2 "the kernel's path '$kernel' holds a space, a quote or a backslash, which QEMU passes to the guest as part of its command line; move the image to a path without them" ;; esac
            fi
            cmd+=(-kernel "$kernel")
            # On x86, -initrd is a list of multiboot modules: ',' separates them (',,' is a comma).
            if [ -n "$initrd" ]; then
                if [ "$arch" = x86_64 ]; then cmd+=(-initrd "$(opt_value "$(absolute "$initrd")")"); else cmd+=(-initrd "$(absolute "$initrd")"); fi
            fi
            local line
            line=$(cmdline)
            [ -z "$line" ] || cmd+=(-append "$line")
            [ "$dry_run" = 1 ] || [ -f "$kernel" ] || die 1 "no image at $kernel; build it first with 'make $id' (or give one with -k PATH)"
            local status=0
            run "${cmd[@]}" || status=$?
            if [ "$arch" = x86_64 ]; then
                # isa-debug-exit: Unikraft halts with 83 (normal) or 85 (crash).
                case "$status" in 83) exit 0 ;; 85) exit 1 ;; esac
            fi
            exit "$status"
        }

        # Firecracker starts from the emitted configuration (its paths are relative to the script's
        # folder); only what the command line gives is put in place of its values.
        run_firecracker() {
            local fc tmp config="$app_dir/$vmm_config" overrides=()
            fc=$(command -v firecracker || command -v "firecracker-$([ "$arch" = arm64 ] && echo aarch64 || echo "$arch")" || echo firecracker)
            [ -f "$config" ] || die 1 "no Firecracker configuration at $config; emit it with 'manifestc --emit firecracker'"
            [ -z "$kernel_given" ] || overrides+=(kernel_image_path "$(json_string "$kernel")")
            [ "$args_given" = 0 ] || overrides+=(boot_args "$(json_string "$(cmdline)")")
            [ -z "$vcpus_given" ] || overrides+=(vcpu_count "$vcpus")
            [ -z "$memory_given" ] || overrides+=(mem_size_mib "$memory")
            tmp=$(mktemp -d)
            trap 'rm -rf "$tmp"' EXIT
            if [ ${#overrides[@]} -gt 0 ]; then
                config_with "$config" "${overrides[@]}" >"$tmp/config.json"
                config="$tmp/config.json"
            fi
            if [ "$dry_run" = 1 ]; then cat "$config" >&2; fi
            cd "$app_dir"
            run "$fc" --api-sock "$tmp/firecracker.socket" --config-file "$config"
        }

        # xl starts from the emitted configuration; what the command line gives is passed as key=value.
        run_xen() {
            local overrides=() sudo=()
            [ -z "$memory_given" ] || overrides+=("memory=$memory")
            [ -z "$vcpus_given" ] || overrides+=("vcpus=$vcpus")
            [ "$args_given" = 0 ] || overrides+=("cmdline=$(json_string "$(cmdline)")")
            [ -z "$kernel_given" ] || overrides+=("kernel=$(json_string "$kernel")")
            [ "$(id -u)" = 0 ] || sudo=(sudo)
            cd "$app_dir"
            run ${sudo[@]+"${sudo[@]}"} xl create -c "$app_dir/$vmm_config" ${overrides[@]+"${overrides[@]}"}
        }

        # A linuxu image is a Linux program for the target's architecture: on another host it runs
        # through QEMU's user-mode emulation (Debian qemu-user or qemu-user-static). Its console
        # needs a terminal on stdin (else "Failed to initialize terminal console"): without one, it
        # runs on a pseudo-terminal made by script (util-linux).
        run_linuxu() {
            local host emulator="" qemu_arch
            cmdline_words
            host=$(uname -m)
            case "$arch:$host" in
                x86_64:x86_64|arm64:aarch64|arm:arm*) ;;
                *)
                    case "$arch" in x86_64) qemu_arch=x86_64 ;; arm64) qemu_arch=aarch64 ;; *) qemu_arch=arm ;; esac
                    emulator=$(command -v "qemu-$qemu_arch" || command -v "qemu-$qemu_arch-static" || true)
                    if [ -z "$emulator" ]; then
                        [ "$dry_run" = 1 ] || die 126 "target '$target' is a Linux program for $arch, which this $host host cannot run by itself; QEMU's user-mode emulation can: install it (Debian: apt-get install qemu-user) and launch.sh runs the image through qemu-$qemu_arch"
                        emulator=qemu-$qemu_arch
                    fi ;;
            esac
            local command=(${emulator:+"$emulator"} "$kernel" ${words[@]+"${words[@]}"})
            if [ ! -t 0 ]; then
                if command -v script >/dev/null; then
                    command=(env SHELL=/bin/sh script -qec "$(pty_command "${command[@]}")" /dev/null)
                else
                    printf '%s\n' "launch.sh: warning: linuxu's console needs a terminal on stdin and there is none; 'script' (Debian: bsdutils) would make one" >&2
                fi
            fi
            run "${command[@]}"
        }

        case "$platform" in
            qemu) run_qemu ;;
            fc|kraftcloud) run_firecracker ;;
            xen) run_xen ;;
            linuxu) run_linuxu ;;
        esac
        """#
}
