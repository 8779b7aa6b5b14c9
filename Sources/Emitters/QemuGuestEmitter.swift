/// The `qemu-guest` script: a QEMU wrapper with the options of kraft's `qemu-guest`
/// (`reference/running-unikernels.md` §2), written anew. It differs on purpose: root only for
/// `-b`, `-V` and `-f`; QEMU in the foreground without socat, uuidgen or a terminal; KVM only
/// when a probe shows it works, else TCG (`-W` forces TCG); a missing option argument is an
/// error; `-D` prints the command shell-quoted; no `-append` without `-a`; `-U` for
/// `security_model=none` 9p shares; absolute 9p paths; no `-device sga`; `isa-debug-exit` on
/// x86 and the guest's status as the exit status (QEMU 83 → 0, 85 → 1, else QEMU's status).
public enum QemuGuestEmitter {
    /// Where the script goes, relative to the output folder.
    public static let path = "qemu-guest"

    /// The executable `qemu-guest` script, with the generated-file header naming `source`.
    /// The script does not depend on the manifest: every choice is an option.
    public static func emit(source: String) -> EmittedFile {
        EmittedFile(path: path, contents: GeneratedHeader.apply(to: TemplateFiller.fill(script, KVMProbe.placeholders), source: source), executable: true)
    }

    /// The script before the header: bash, checked with `shellcheck` and `bash -n` by the tests.
    static let script = #"""
#!/usr/bin/env bash
# qemu-guest: boot a Unikraft unikernel under QEMU, in the foreground.
# It takes the options of kraft's qemu-guest (run it with -h), but needs root only for
# -b, -V and -f, needs no socat, uuidgen or terminal, uses KVM only when KVM works
# (else TCG), prints a pasteable command with -D, and exits with the guest's status.

set -u -o pipefail
if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
	printf '%s: needs bash 4.4 or newer, not %s\n' "${0##*/}" "$BASH_VERSION" >&2
	exit 2
fi

prog=${0##*/}

usage() {
	cat <<EOF
Usage: $prog [OPTION]... [-- QEMU-ARGUMENT...]
Boot a Unikraft unikernel under QEMU, in the foreground, with its console on this terminal.

Machine:
  -t TYPE      machine: x86pc (default), x86q35 or arm64v
  -W           use TCG (emulation) even when KVM works
  -m MB        memory in MiB (default 64)
  -s N         CPU sockets (default 1)
  -c N         cores per socket (default 1)
  -H           two threads per core
  -p CPULIST   pin the vCPU threads to host CPUs, e.g. 0-1 or 2,4 (Linux, needs taskset)
  -G NAME      guest name
  -Q PATH      QEMU binary (default: qemu-system-x86_64 or qemu-system-aarch64 on PATH)
Kernel:
  -k KERNEL    kernel image, booted directly
  -i INITRD    initial ramdisk (needs -k)
  -a ARGS      kernel command line (needs -k); the last -a wins; without -a none is passed
Storage:
  -d IMAGE     virtio block device, raw image
  -q IMAGE     virtio block device, qcow2 image
  -I ISO       IDE CD-ROM (x86pc: at most 2, x86q35: at most 5)
  -e DIR       share DIR over virtio-9p; mount tags fs0, fs1, ... in -e order
  -U           9p shares use security_model=none (QEMU without root) instead of passthrough
Network:
  -n           NAT network interface (user-mode networking)
  -N PORT      NAT network interface, host TCP PORT forwarded to guest port 22
  -b BRIDGE    tap network interface on the existing bridge BRIDGE (root)
  -V IFACE     host interface IFACE wired in through a private bridge swire-IFACE (root)
Devices:
  -S SOCKET    virtio console on the UNIX socket SOCKET (QEMU listens)
  -f PCI-ID    pass the host PCI device PCI-ID (e.g. 0000:01:00.0) through with VFIO (root)
  -l           virtio balloon device
  -r           virtio entropy device (from the host's /dev/random)
  -v PORT      VNC display on TCP PORT (5900 or above) instead of no display
Running:
  -x           run in the background; print QEMU's PID and its console and monitor sockets
  -P           start paused (on a terminal: Ctrl-a c, then 'cont'; else a monitor socket)
  -M COMMAND   monitor COMMAND to run before the guest starts (repeatable)
  -C           pass Ctrl-C to the guest (quit with Ctrl-a x)
  -g PORT      gdb server on TCP PORT; QEMU stays open after the guest halts
  -T FILE      log guest code, interrupts and CPU resets to FILE
  -D           dry run: print the QEMU command as it would run, shell-quoted, and exit
  -h           print this help and exit
  --           pass the remaining arguments to QEMU unchanged

The console is QEMU's stdio: on a terminal '-nographic' (quit with Ctrl-a x), otherwise
'-display none -serial stdio'. KVM is used when the guest's architecture is the host's,
/dev/kvm is readable and writable, and a tiny test guest runs under it within 5 seconds
(else it says why and uses TCG); -W forces TCG.

Exit status: on x86 the guest's (0 it halted normally, 1 it crashed), else QEMU's;
1 also for a usage error, 2 for a missing prerequisite (QEMU, root, a tool).
EOF
}

note() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() {
	local status=$1
	shift
	note "$*"
	exit "$status"
}
usage_error() {
	note "$*"
	printf "Try '%s -h' for the options.\n" "$prog" >&2
	exit 1
}

# One shell word for $1: as it is when it has only safe characters, else in single quotes
# with each ' written as '\''. Newlines and any other bytes stay literal.
shell_quote() {
	local word=$1 safe='abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%-'
	local escaped="'\\''"
	if [[ -n $word && $word != *[!$safe]* ]]; then
		printf '%s' "$word"
	else
		printf "'%s'" "${word//\'/"$escaped"}"
	fi
}

print_command() {
	local separator="" word
	for word in "$@"; do
		printf '%s' "$separator"
		shell_quote "$word"
		separator=" "
	done
	printf '\n'
}

# A value inside a QEMU option list (key=value,...): a literal comma is written twice.
opt_value() { printf '%s' "${1//,/,,}"; }

needs_number() { # option value minimum maximum
	if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < $3 || $2 > $4)); then
		usage_error "option -$1 needs a number from $3 to $4, not '$2'"
	fi
}

# MARK: - Options

machine_type=x86pc
force_tcg=0
memory=64
sockets=1
cores=1
threads=1
guest_name=""
gdb_port=""
trace_file=""
pin_list=""
vnc_port=""
kernel=""
initrd=""
append=""
have_append=0
background=0
paused=0
pass_ctrl_c=0
dry_run=0
qemu_option=""
security_model=passthrough
balloon=0
rng=0
monitor_commands=()
vfio_ids=()
device_kinds=() # in command-line order: n N b V d q I e S
device_values=()

opt_end=1
while getopts ':hxPt:G:g:T:s:c:Hp:Wm:v:nN:b:V:f:d:q:I:e:US:k:i:a:lrCDQ:M:' opt; do
	case $opt in
	h)
		usage
		exit 0
		;;
	x) background=1 ;;
	P) paused=1 ;;
	t)
		case $OPTARG in
		x86pc | x86q35 | arm64v) machine_type=$OPTARG ;;
		*) usage_error "unsupported machine type '$OPTARG' (-t); use x86pc, x86q35 or arm64v" ;;
		esac
		;;
	G) guest_name=$OPTARG ;;
	g)
		needs_number g "$OPTARG" 1 65535
		gdb_port=$OPTARG
		;;
	T) trace_file=$OPTARG ;;
	s)
		needs_number s "$OPTARG" 1 4096
		sockets=$OPTARG
		;;
	c)
		needs_number c "$OPTARG" 1 4096
		cores=$OPTARG
		;;
	H) threads=2 ;;
	p)
		[[ $OPTARG =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] ||
			usage_error "option -p needs a CPU list like 0-1 or 2,4, not '$OPTARG'"
		pin_list=$OPTARG
		;;
	W) force_tcg=1 ;;
	m)
		needs_number m "$OPTARG" 1 16777216
		memory=$OPTARG
		;;
	v)
		needs_number v "$OPTARG" 5900 65535
		vnc_port=$OPTARG
		;;
	n)
		device_kinds+=(n)
		device_values+=("")
		;;
	N)
		needs_number N "$OPTARG" 1 65535
		device_kinds+=(N)
		device_values+=("$OPTARG")
		;;
	b | V | d | q | I | e | S)
		[[ -n $OPTARG ]] || usage_error "option -$opt needs a non-empty argument"
		device_kinds+=("$opt")
		device_values+=("$OPTARG")
		;;
	f)
		if [[ $OPTARG =~ ^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$ ]]; then
			if [[ -n ${BASH_REMATCH[1]} ]]; then vfio_ids+=("$OPTARG"); else vfio_ids+=("0000:$OPTARG"); fi
		else
			usage_error "option -f needs a PCI address like 0000:01:00.0, not '$OPTARG'"
		fi
		;;
	U) security_model=none ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	a)
		append=$OPTARG
		have_append=1
		;;
	l) balloon=1 ;;
	r) rng=1 ;;
	C) pass_ctrl_c=1 ;;
	D) dry_run=1 ;;
	Q) qemu_option=$OPTARG ;;
	M) monitor_commands+=("$OPTARG") ;;
	:) usage_error "option -$OPTARG needs an argument" ;;
	*) usage_error "unknown option -$OPTARG" ;;
	esac
	opt_end=$OPTIND
done
# getopts consumed a '--' exactly when it moved one word past the last option.
double_dash=0
((OPTIND == opt_end + 1)) && double_dash=1
shift $((OPTIND - 1))
extra_args=("$@")
if ((${#extra_args[@]} > 0 && !double_dash)); then
	usage_error "unexpected argument '${extra_args[0]}'; QEMU arguments go after '--'"
fi

[[ -n $kernel || -z $initrd ]] || usage_error "option -i needs a kernel (-k)"
[[ -n $kernel || $have_append -eq 0 ]] || usage_error "option -a needs a kernel (-k)"

# MARK: - QEMU, accelerator, machine and CPU

case $machine_type in
arm64v)
	guest_arch=aarch64
	qemu_name="qemu-system-aarch64"
	;;
*)
	guest_arch=x86_64
	qemu_name="qemu-system-x86_64"
	;;
esac

qemu=${qemu_option:-$qemu_name}
if [[ $qemu == */* ]]; then
	[[ -x $qemu ]] && have_qemu=1 || have_qemu=0
elif resolved=$(command -v -- "$qemu"); then
	qemu=$resolved
	have_qemu=1
else
	have_qemu=0
fi
if ((!have_qemu)); then
	((dry_run)) || die 2 "QEMU not found: '$qemu' (install it, or give its path with -Q)"
	note "warning: QEMU not found: '$qemu'; the command below was not checked against it"
fi

have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

# Starts QEMU paused with a monitor on stdin and sends 'quit': status 0 when QEMU could set
# up the machine. Its output and diagnostics go to stdout, for the caller to read.
probe_qemu() {
	local command=("$qemu" -nodefaults -display none -S -monitor stdio "$@")
	((have_timeout)) && command=(timeout 10 "${command[@]}")
	# A subshell that waits for QEMU itself, so that bash's "Aborted" report of a QEMU that
	# died from a signal goes to /dev/null; QEMU's own messages go to stdout.
	("${command[@]}" <<<quit 2>&1; exit $?) 2>/dev/null
}

# Boots a 64-byte test guest under KVM with CPU $1 and the machine: status 0 when it exits
# within 5 seconds, else what went wrong on stdout. QEMU can start with a /dev/kvm that fails
# every guest ("KVM internal error ... emulation failure", after which QEMU hangs, as under some
# nested virtualisation); the x86_64 guest does what Unikraft's boot does first (turn on SSE).
kvm_problem() {
	local probe output line problem="" status=0 expected=0 probe_device=()
	probe=$(mktemp) || return 1
	if [[ $guest_arch == x86_64 ]]; then
		printf @KVM_PROBE_X86_64@ >"$probe"
		expected=83
		probe_device=(-device "isa-debug-exit,iobase=0x501,iosize=2")
	else
		printf @KVM_PROBE_ARM64@ >"$probe"
	fi
	output=$( (timeout -k 1 5 "$qemu" -accel kvm -machine "$machine_model" -cpu "$1" -m 16 -nodefaults -display none \
		-serial none -no-reboot ${probe_device[@]+"${probe_device[@]}"} -kernel "$probe" </dev/null 2>&1 >/dev/null; exit $?) 2>/dev/null) || status=$?
	rm -f "$probe"
	((status == expected)) && return 0
	[[ $output == *"KVM internal error"* ]] && problem="KVM internal error"
	if ((status == 124 || status == 137)); then
		problem="${problem:+$problem: }a test guest did not finish within 5 seconds"
	elif [[ -z $problem ]]; then
		while IFS= read -r line; do
			[[ $line == *error* ]] && problem=$line && break
		done <<<"$output"
		problem=${problem:-${output%%$'\n'*}}
		problem=${problem#"${qemu##*/}: "}
		problem="a test guest failed with status $status${problem:+: ${problem#error: }}"
	fi
	printf '%s\n' "$problem"
	return 1
}

# Whether 'qemu -TOPIC help' has a line that starts with the word $2.
qemu_lists() {
	local line
	while IFS= read -r line; do
		[[ $line == "$2" || $line == "$2 "* ]] && return 0
	done < <("$qemu" "-$1" help 2>/dev/null)
	return 1
}

case $machine_type in
x86pc)
	machine_model=pc
	# Unikraft's scripts prefer the 7.0 i440FX model where QEMU still has it.
	if ((have_qemu)) && qemu_lists machine pc-i440fx-7.0; then
		machine_model=pc-i440fx-7.0
	fi
	;;
x86q35) machine_model=q35 ;;
arm64v) machine_model=virt ;;
esac

host_arch=$(uname -m)
case $host_arch in
arm64) host_arch=aarch64 ;;
amd64) host_arch=x86_64 ;;
esac

accel=tcg
if ((!force_tcg && have_qemu)) && [[ $host_arch == "$guest_arch" ]]; then
	case $(uname -s) in
	Linux) candidate=kvm ;;
	Darwin) candidate=hvf ;;
	*) candidate="" ;;
	esac
	if [[ $candidate == kvm && -e /dev/kvm && ! (-r /dev/kvm && -w /dev/kvm) ]]; then
		note "no read and write access to /dev/kvm (group kvm?); using TCG"
	elif [[ -n $candidate && ($candidate == hvf || -e /dev/kvm) ]] &&
		qemu_lists accel "$candidate"; then
		kvm_cpu=host
		[[ $guest_arch == x86_64 ]] && kvm_cpu=host,+x2apic,-pmu
		if [[ $candidate == kvm ]] && ((have_timeout)); then
			if problem=$(kvm_problem "$kvm_cpu"); then
				accel=kvm
			else
				note "KVM is present but cannot run guests here ($problem); using TCG (-W skips this check)"
			fi
		elif probe_qemu -accel "$candidate" -machine "$machine_model" -cpu host >/dev/null; then
			accel=$candidate
		else
			note "QEMU cannot start with $candidate here; using TCG (-W skips this check)"
		fi
	fi
fi

if [[ $guest_arch == aarch64 ]]; then
	if [[ $accel == tcg ]]; then cpu=max; else cpu=host; fi
elif [[ $accel == kvm ]]; then
	cpu=host,+x2apic,-pmu
elif [[ $accel == hvf ]]; then
	cpu=host
else
	# Unikraft needs 1 GiB pages and seeds its random numbers from RDRAND and RDSEED;
	# features this QEMU's TCG cannot emulate (it warns about them) are left out.
	cpu=qemu64,-vmx,-svm,+x2apic,+pdpe1gb,+rdrand,+rdseed
	if ((have_qemu)) && warnings=$(probe_qemu -accel tcg -machine "$machine_model" -cpu "$cpu"); then
		pattern="requested feature: [^ ]*\.([A-Za-z0-9_.-]+) \[bit"
		while IFS= read -r line; do
			[[ $line =~ $pattern ]] && cpu=${cpu/,+${BASH_REMATCH[1]}/}
		done <<<"$warnings"
	fi
fi

# MARK: - The QEMU command

run_dir="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/$prog-$$"
pidfile=$run_dir/qemu.pid
monitor_fifo=$run_dir/monitor
stdout_is_tty=0
[[ -t 1 ]] && stdout_is_tty=1

args=(-machine "$machine_model,accel=$accel" -cpu "$cpu")
if [[ -n $guest_name || -n $pin_list ]]; then
	name_option="guest=$(opt_value "${guest_name:-$prog}")"
	# vCPU threads named "CPU <n>/<accel>" let -p find them.
	[[ -n $pin_list ]] && name_option+=",debug-threads=on"
	args+=(-name "$name_option")
fi

if [[ -n $vnc_port ]]; then
	display=(-display "vnc=:$((vnc_port - 5900))")
	[[ $guest_arch == x86_64 ]] && display+=(-vga cirrus)
else
	display=(-display none -vga none)
fi
# A monitor socket in the background, and when paused without a terminal (nothing else could
# say 'cont').
monitor_socket=0
((background || (paused && !stdout_is_tty))) && monitor_socket=1
if ((background)); then
	args+=("${display[@]}" -daemonize -pidfile "$pidfile"
		-monitor "unix:$(opt_value "$run_dir/monitor.socket"),server=on,wait=off"
		-serial "unix:$(opt_value "$run_dir/serial.socket"),server=on,wait=off")
elif ((!stdout_is_tty)); then
	args+=("${display[@]}" -serial stdio)
	((monitor_socket)) && args+=(-monitor "unix:$(opt_value "$run_dir/monitor.socket"),server=on,wait=off")
elif ((pass_ctrl_c)); then
	args+=("${display[@]}" -chardev "stdio,id=console0,mux=on,signal=off"
		-serial chardev:console0 -mon chardev=console0)
elif [[ -n $vnc_port ]]; then
	args+=("${display[@]}" -serial mon:stdio)
else
	args+=(-nographic -vga none)
fi
((paused || ${#monitor_commands[@]} > 0)) && args+=(-S)
if ((${#monitor_commands[@]} > 0)); then
	args+=(-chardev "pipe,id=monitor1,path=$(opt_value "$monitor_fifo")" -mon chardev=monitor1)
fi
if [[ -n $trace_file ]]; then
	trace_items=in_asm,cpu_reset,int,mmu,unimp,guest_errors
	[[ $guest_arch == x86_64 ]] && trace_items=in_asm,cpu_reset,int,pcall,mmu,unimp,guest_errors
	args+=(-d "$trace_items" -D "$trace_file")
fi
args+=(-m "$memory" -smp "sockets=$sockets,cores=$cores,threads=$threads" -rtc base=utc)
[[ $guest_arch == x86_64 ]] && args+=(-parallel none)
[[ -n $gdb_port ]] && args+=(-gdb "tcp::$gdb_port" -no-shutdown)

nic_count=0
virtio_count=0
fs_count=0
ide_count=0
serial_count=0
taps=() # pairs: tap interface, bridge
bridges_to_create=()
for index in "${!device_kinds[@]}"; do
	kind=${device_kinds[index]}
	value=${device_values[index]}
	case $kind in
	n | N | b | V)
		netdev=hostnet$nic_count
		device="virtio-net-pci,netdev=$netdev,id=net$nic_count"
		case $kind in
		n) args+=(-netdev "user,id=$netdev") ;;
		N) args+=(-netdev "user,id=$netdev,hostfwd=tcp::$value-:22") ;;
		*)
			bridge=$value
			if [[ $kind == V ]]; then
				bridge=swire-$value
				bridges_to_create+=("$bridge" "$value")
			fi
			tap=qgt$$n$nic_count
			taps+=("$tap" "$bridge")
			args+=(-netdev "tap,id=$netdev,ifname=$tap,script=no,downscript=no,vhost=off")
			# A MAC address of its own, so that guests on one bridge differ.
			device="virtio-net-pci,mac=$(printf '52:54:00:%02x:%02x:%02x' $(($$ >> 8 & 255)) $(($$ & 255)) "$nic_count"),netdev=$netdev,id=net$nic_count"
			;;
		esac
		args+=(-device "$device")
		nic_count=$((nic_count + 1))
		;;
	d | q)
		format=raw
		[[ $kind == q ]] && format=qcow2
		args+=(-drive "file=$(opt_value "$value"),if=none,id=hvirtio$virtio_count,format=$format"
			-device "virtio-blk-pci,drive=hvirtio$virtio_count,id=virtio$virtio_count")
		virtio_count=$((virtio_count + 1))
		;;
	e)
		[[ $value == /* ]] || value=$PWD/$value
		args+=(-fsdev "local,security_model=$security_model,id=hvirtio$virtio_count,path=$(opt_value "$value")"
			-device "virtio-9p-pci,fsdev=hvirtio$virtio_count,mount_tag=fs$fs_count")
		virtio_count=$((virtio_count + 1))
		fs_count=$((fs_count + 1))
		;;
	I)
		# One CD-ROM per IDE bus: x86pc has 2 buses, x86q35 6 (kraft allowed 5), arm64v none.
		case $machine_type in
		x86pc) ide_max=2 ;;
		x86q35) ide_max=5 ;;
		*) ide_max=0 ;;
		esac
		((ide_count < ide_max)) || usage_error "at most $ide_max CD-ROMs (-I) with -t $machine_type"
		args+=(-drive "file=$(opt_value "$value"),if=none,id=hide$ide_count,format=raw,readonly=on"
			-device "ide-cd,bus=ide.$ide_count,unit=0,drive=hide$ide_count,id=ide$ide_count")
		ide_count=$((ide_count + 1))
		;;
	S)
		args+=(-chardev "socket,path=$(opt_value "$value"),server=on,wait=off,id=vserial$serial_count"
			-device virtio-serial -device "virtconsole,chardev=vserial$serial_count")
		serial_count=$((serial_count + 1))
		;;
	esac
done
((balloon)) && args+=(-device "virtio-balloon-pci,id=balloon0")
((rng)) && args+=(-object "rng-random,id=hostrng0,filename=/dev/random" -device "virtio-rng-pci,rng=hostrng0")
((nic_count > 0)) || args+=(-net none)
if [[ -n $kernel ]]; then
	args+=(-kernel "$kernel")
	# On x86, -initrd is a list of multiboot modules: ',' separates them (',,' is a comma).
	if [[ -n $initrd && $guest_arch == x86_64 ]]; then args+=(-initrd "$(opt_value "$initrd")"); elif [[ -n $initrd ]]; then args+=(-initrd "$initrd"); fi
	((have_append)) && args+=(-append "$append")
else
	args+=(-boot reboot-timeout=1000)
fi
for id in "${vfio_ids[@]}"; do args+=(-device "vfio-pci,host=$id"); done
# The guest's status: Unikraft writes 41 (halt) or 42 (crash), QEMU exits with 83 or 85.
[[ $guest_arch == x86_64 ]] && args+=(-device "isa-debug-exit,iobase=0x501,iosize=2")
args+=(-no-reboot "${extra_args[@]}")

if ((dry_run)); then
	print_command "$qemu" "${args[@]}"
	exit 0
fi

# MARK: - Prerequisites and set-up

needs_root=""
((${#taps[@]} > 0)) && needs_root=-b/-V
((${#vfio_ids[@]} > 0)) && needs_root=-f
[[ -z $needs_root || $EUID -eq 0 ]] || die 2 "option $needs_root needs root (run $prog with sudo)"
if ((${#taps[@]} > 0)); then
	command -v ip >/dev/null 2>&1 || die 2 "options -b and -V need the 'ip' command (iproute2)"
fi
if [[ -n $pin_list ]]; then
	[[ -d /proc/self/task ]] || die 2 "option -p needs Linux"
	command -v taskset >/dev/null 2>&1 || die 2 "option -p needs the 'taskset' command (util-linux)"
fi
[[ -z $kernel || -r $kernel ]] || die 1 "cannot read the kernel '$kernel'"
[[ -z $initrd || -r $initrd ]] || die 1 "cannot read the initrd '$initrd'"

qemu_pid=""
helper_pids=()
created_bridges=()
remove_run_dir=0 # only a folder this run made, and not in the background (QEMU keeps using it)

cleanup() {
	local pid bridge
	for pid in "${helper_pids[@]}"; do kill "$pid" 2>/dev/null; done
	if ((!background)) && [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	if ((!background)); then
		for bridge in "${created_bridges[@]}"; do ip link delete dev "$bridge" 2>/dev/null; done
	fi
	if ((remove_run_dir)); then rm -rf -- "$run_dir"; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

if ((monitor_socket || ${#monitor_commands[@]} > 0)); then
	mkdir -m 700 -- "$run_dir" 2>/dev/null || die 2 "cannot create the folder '$run_dir'"
	((background)) || remove_run_dir=1
fi
if ((${#monitor_commands[@]} > 0)); then
	mkfifo -m 600 -- "$monitor_fifo.in" "$monitor_fifo.out" || die 2 "cannot create the monitor pipes in '$run_dir'"
fi

for ((i = 0; i < ${#bridges_to_create[@]}; i += 2)); do
	bridge=${bridges_to_create[i]}
	host_if=${bridges_to_create[i + 1]}
	[[ -e /sys/class/net/$host_if ]] || die 1 "no host interface '$host_if' (-V)"
	if [[ ! -e /sys/class/net/$bridge ]]; then
		ip link add name "$bridge" type bridge || die 1 "cannot create the bridge '$bridge'"
		created_bridges+=("$bridge")
	fi
	if ! { ip link set dev "$host_if" master "$bridge" && ip link set dev "$host_if" up &&
		ip link set dev "$bridge" up; }; then
		die 1 "cannot wire '$host_if' into '$bridge'"
	fi
done
for ((i = 1; i < ${#taps[@]}; i += 2)); do
	[[ -e /sys/class/net/${taps[i]}/bridge ]] || die 1 "no bridge '${taps[i]}' (-b)"
done

for id in "${vfio_ids[@]}"; do
	sysfs=/sys/bus/pci/devices/$id
	[[ -e $sysfs ]] || die 1 "no PCI device '$id' (-f)"
	[[ -e $sysfs/iommu_group ]] || die 1 "PCI device '$id' has no IOMMU group (IOMMU off?)"
	modprobe vfio-pci 2>/dev/null
	current=$(basename "$(readlink "$sysfs/driver" 2>/dev/null)")
	if [[ $current != vfio-pci ]]; then
		[[ -n $current && $current != . ]] && printf '%s\n' "$id" >"$sysfs/driver/unbind"
		if ! { printf 'vfio-pci\n' >"$sysfs/driver_override" &&
			printf '%s\n' "$id" >/sys/bus/pci/drivers_probe; }; then
			die 1 "cannot bind PCI device '$id' to vfio-pci"
		fi
	fi
done

# MARK: - After QEMU has started

attach_taps() { # QEMU's PID
	local i tries
	for ((i = 0; i < ${#taps[@]}; i += 2)); do
		for ((tries = 0; tries < 100; tries++)); do
			kill -0 "$1" 2>/dev/null || return 0
			[[ -e /sys/class/net/${taps[i]} ]] && break
			sleep 0.05
		done
		if ! { ip link set dev "${taps[i]}" master "${taps[i + 1]}" && ip link set dev "${taps[i]}" up; }; then
			note "warning: could not attach '${taps[i]}' to the bridge '${taps[i + 1]}'"
		fi
	done
}

pin_vcpus() { # QEMU's PID
	local cpus=() parts part first last cpu tries task comm found i target
	local vcpus=$((sockets * cores * threads))
	IFS=, read -ra parts <<<"$pin_list"
	for part in "${parts[@]}"; do
		first=${part%-*}
		last=${part#*-}
		for ((cpu = first; cpu <= last; cpu++)); do cpus+=("$cpu"); done
	done
	((${#cpus[@]} > 0)) || return 0
	# vCPU threads are named "CPU <n>/<accel>", or "ALL CPUs/TCG" when TCG runs them all in one.
	for ((tries = 0; tries < 100; tries++)); do
		kill -0 "$1" 2>/dev/null || return 0
		found=()
		for task in /proc/"$1"/task/*; do
			read -r comm 2>/dev/null <"$task/comm" || continue
			if [[ $comm =~ ^CPU\ ([0-9]+)/ ]]; then
				found+=("${cpus[BASH_REMATCH[1] % ${#cpus[@]}]}" "${task##*/}")
			elif [[ $comm == "ALL CPUs/"* ]]; then
				found=("$pin_list" "${task##*/}")
				vcpus=1
				break
			fi
		done
		((${#found[@]} >= 2 * vcpus)) && break
		sleep 0.05
	done
	((${#found[@]} > 0)) || note "warning: found no vCPU threads to pin"
	for ((i = 0; i < ${#found[@]}; i += 2)); do
		target=${found[i]}
		taskset -p -c "$target" "${found[i + 1]}" >/dev/null || note "warning: could not pin a vCPU thread to CPU $target"
	done
}

send_monitor_commands() {
	local commands=("${monitor_commands[@]}") line
	((paused)) || commands+=(cont)
	if ((background)); then
		# QEMU has opened the pipes: these few bytes go in at once; nobody reads the replies.
		printf '%s\n' "${commands[@]}" >"$monitor_fifo.in"
		return
	fi
	# The replies on stderr, without the monitor's banner, prompts and echo; a terminal in
	# QEMU's raw mode needs "\r\n".
	local end=$'\n'
	[[ -t 2 ]] && end=$'\r\n'
	while IFS= read -r line; do
		line=${line%$'\r'}
		[[ $line == "(qemu) "* || $line == "QEMU "*" monitor - "* ]] || printf '%s%s' "$line" "$end" >&2
	done <"$monitor_fifo.out" &
	helper_pids+=($!)
	# In the background: the pipe opens only once QEMU has opened its end.
	printf '%s\n' "${commands[@]}" >"$monitor_fifo.in" &
	helper_pids+=($!)
}

after_start() { # QEMU's PID
	((${#taps[@]} > 0)) && attach_taps "$1"
	[[ -n $pin_list ]] && pin_vcpus "$1"
	((${#monitor_commands[@]} > 0)) && send_monitor_commands
}

# MARK: - Run

if ((background)); then
	"$qemu" "${args[@]}" </dev/null
	status=$?
	((status == 0)) || exit "$status"
	qemu_pid=$(<"$pidfile")
	after_start "$qemu_pid"
	printf '%s: QEMU runs in the background, PID %s\n' "$prog" "$qemu_pid"
	printf '  console: %s (e.g. socat -,raw,echo=0 UNIX-CONNECT:%s)\n' "$run_dir/serial.socket" "$run_dir/serial.socket"
	printf '  monitor: %s\n' "$run_dir/monitor.socket"
	printf '  stop:    kill %s; rm -r %s\n' "$qemu_pid" "$run_dir"
	for bridge in "${created_bridges[@]}"; do
		printf '  bridge:  %s (remove it with: ip link delete %s)\n' "$bridge" "$bridge"
	done
	exit 0
fi

# QEMU runs as a child (so that signals reach this script) with this script's stdin.
exec 3<&0
"$qemu" "${args[@]}" <&3 3<&- &
qemu_pid=$!
exec 3<&-
((monitor_socket)) && note "paused; the monitor is $run_dir/monitor.socket ('cont' starts the guest)"
after_start "$qemu_pid"
while :; do
	wait "$qemu_pid"
	status=$?
	kill -0 "$qemu_pid" 2>/dev/null || break
done
qemu_pid=""
trap - EXIT
cleanup
if [[ $guest_arch == x86_64 ]]; then
	case $status in
	83) status=0 ;; # the guest halted
	85) status=1 ;; # the guest crashed
	esac
fi
exit "$status"

"""#
}
