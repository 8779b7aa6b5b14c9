#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (ships with the Swift toolchain on Linux).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default: 60 s, every target)
#        scripts/fuzz.sh --build [TARGET...]                    (only build the fuzzers)
#        scripts/fuzz.sh --coverage [TARGET...]                 (edges covered by the kept corpus, per source file)
#        scripts/fuzz.sh --list
#
# Builds the Manifest, Planner and Emitters sources with -sanitize=fuzzer,address, links
# each harness Tests/Fuzz/<target>.swift (plus Tests/Fuzz/Support/*.swift) into a fuzzer,
# seeds it from the test fixtures and ../shared/corpus (skipped when absent), runs it for
# the given time and prints executions and coverage. Exits non-zero on any crash, leak,
# timeout or out-of-memory, and names the folder holding the reproducer.
#
# Adding a target (say, for an import reader): write Tests/Fuzz/<name>.swift exposing
# @_cdecl("LLVMFuzzerTestOneInput") (helpers in Tests/Fuzz/Support), and seed it with files
# in Tests/Fuzz/Seeds/<name>/ and/or a `seeds_<name>` function below that lists existing
# files (the name with '-' written '_'); optionally add Tests/Fuzz/<name>.dict and a line
# in `max_len`. A target is found by its harness file; nothing else needs listing.
#
# Environment:
#   FUZZ_JOBS       targets run at the same time (default: number of cores)
#   FUZZ_CORPUS     keep each target's corpus in $FUZZ_CORPUS/<target> across runs
#                   (default: a temporary folder, removed at the end)
#   FUZZ_ARTIFACTS  where reproducers go (default: .build-fuzz/artifacts/<date>)
#   FUZZ_BUILD      build folder (default: .build-fuzz)
#   FUZZ_FLAGS      extra libFuzzer flags for every target (e.g. -use_value_profile=1)
#   MANIFESTC_UNIKRAFT_TREES  when set, Unikraft's Config.uk files seed the kconfig target
#
# A reproducer runs again with: .build-fuzz/bin/fuzz-<target> <file>
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

all_targets() { for f in Tests/Fuzz/*.swift; do basename "$f" .swift; done; }
if [ "${1:-}" = "--list" ]; then all_targets; exit 0; fi

# Replays each target's kept corpus ($FUZZ_CORPUS/<target>) and sums the edges covered
# (as libFuzzer's -print_coverage counts them) per file of Sources/ that it reaches. Swift's
# overflow and bounds checks are edges too, never taken, so no file reaches 100%.
if [ "${1:-}" = "--coverage" ]; then
    shift
    [ $# -gt 0 ] || set -- $(all_targets)
    build=${FUZZ_BUILD:-$here/.build-fuzz}
    corpus_root=${FUZZ_CORPUS:-$build/corpus}
    for t in "$@"; do
        [ -d "$corpus_root/$t" ] && [ -x "$build/bin/fuzz-$t" ] || { echo "$t: no corpus in $corpus_root/$t or no fuzzer; run it first"; continue; }
        echo "== $t: $(ls "$corpus_root/$t" | wc -l) inputs"
        SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$build/bin/fuzz-$t" -runs=0 -print_coverage=1 "$corpus_root/$t" 2>&1 |
            awk -v src="$here/Sources/" '
                /^(UN)?COVERED_FUNC:/ {
                    split($5, e, "/"); path = $NF; sub(/:[0-9]+$/, "", path)
                    if (index(path, src) != 1) next
                    f = substr(path, length(src) + 1)
                    covered[f] += e[1]; total[f] += e[2]; funcs[f]++; if (e[1] > 0) hit[f]++
                }
                END { for (f in total) if (covered[f] > 0) printf "   %-46s %5d / %-5d edges %5.1f%%   %3d / %-3d functions\n", f, covered[f], total[f], 100 * covered[f] / total[f], hit[f], funcs[f] }' | sort
    done
    exit 0
fi

seconds=${1:-60}
shift || true
build_only=
if [ "$seconds" = --build ]; then build_only=1; seconds=0; fi
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS_PER_TARGET must be a number, not '$seconds'" >&2; exit 2 ;; esac
[ -n "$build_only" ] || [ "$seconds" -gt 0 ] || { echo "fuzz.sh: SECONDS_PER_TARGET must be at least 1" >&2; exit 2; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(all_targets)
for t in "${targets[@]}"; do
    [ -f "Tests/Fuzz/$t.swift" ] || { echo "fuzz.sh: no target '$t'; targets: $(all_targets | tr '\n' ' ')" >&2; exit 2; }
done

build=${FUZZ_BUILD:-$here/.build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
artifacts=${FUZZ_ARTIFACTS:-$build/artifacts/$(date -u +%Y%m%dT%H%M%SZ)}
shared=$here/../shared/corpus
[ -d "$shared" ] || shared=${MANIFESTC_CORPUS:-}

# ---------------------------------------------------------------- build

swiftc=$(command -v swiftc)
# -sanitize=fuzzer instruments for coverage (and links libFuzzer's main into the harness);
# address adds ASan with LeakSanitizer. -O: the code as shipped, and fast enough to fuzz.
flags=(-O -sanitize=fuzzer,address -parse-as-library -g -use-ld=lld
       -I "$build/obj" -I "$here/Sources/CLibYAML" $(pkg-config --cflags yaml-0.1))
mkdir -p "$build/obj" "$build/bin"

# Builds module $1 from the Swift files under folder $2 (less the folder $3, a target of its own,
# when given) when a source, or a module it imports ($4...), is newer than its object.
build_module() {
    local name=$1 folder=$2 exclude=$3 obj=$build/obj/$1.o dep stale=
    shift 3
    local sources
    mapfile -t sources < <(find "$folder" -name '*.swift' ${exclude:+-not -path "$exclude/*"} | sort)
    if [ ! -f "$obj" ] || [ "$(cat "$obj.flags" 2>/dev/null)" != "${flags[*]}" ] \
        || [ -n "$(find "${sources[@]}" -newer "$obj" | head -1)" ]; then stale=1; fi
    for dep in "$@"; do [ "$build/obj/$dep.o" -nt "$obj" ] && stale=1; done
    [ -n "$stale" ] || return 0
    echo "== building $name (fuzzer instrumentation)"
    "$swiftc" "${flags[@]}" -module-name "$name" -wmo -emit-module -emit-module-path "$build/obj/$name.swiftmodule" \
        -c "${sources[@]}" -o "$obj"
    touch "$obj"  # swiftc leaves an unchanged object file as it was, old date included
    echo "${flags[*]}" > "$obj.flags"
}
# The targets of Package.swift that the harnesses reach, in dependency order.
build_module Diagnostics Sources/Manifest/Diagnostics ""
build_module Manifest Sources/Manifest Sources/Manifest/Diagnostics Diagnostics
build_module Kconfig Sources/Planner/Kconfig "" Diagnostics
build_module Planner Sources/Planner Sources/Planner/Kconfig Diagnostics Manifest Kconfig
build_module Emitters Sources/Emitters Sources/Emitters/Import Diagnostics Manifest Planner

build_target() {
    local t=$1 bin=$build/bin/fuzz-$1
    echo "== building fuzz-$t"
    "$swiftc" "${flags[@]}" -module-name "Fuzz_${t//-/_}" "Tests/Fuzz/$t.swift" Tests/Fuzz/Support/*.swift \
        "$build/obj/Diagnostics.o" "$build/obj/Manifest.o" "$build/obj/Kconfig.o" "$build/obj/Planner.o" "$build/obj/Emitters.o" \
        $(pkg-config --libs yaml-0.1) -o "$bin"
}
for t in "${targets[@]}"; do build_target "$t"; done
[ -z "$build_only" ] || { echo "== fuzzers in $build/bin"; exit 0; }

# ---------------------------------------------------------------- seeds

# Each prints the files that seed a target, one per line.
seeds_yaml() {
    find Tests/ManifestTests/Fixtures Tests/EmittersTests/Fixtures examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name 'Kraftfile*' \)
    [ -z "$shared" ] || find "$shared/manifests" "$shared/manual" -type f \( -name '*.yaml' -o -name 'Kraftfile*' \)
}
seeds_manifest() { seeds_yaml; }
seeds_config_reader() {
    find Tests/KconfigTests/Fixtures/kconfig -type f \( -name seed -o -name expected.config -o -name auto.conf \)
    [ -z "$shared" ] || find "$shared/configs" -type f \( -name '*.config' -o -name '*.seed' \)
}
seeds_kconfig() { :; }  # made by make_kconfig_seeds: the layout is special

# The kconfig harness reads one input as parts split at "\n%%\n": /t/Kconfig,
# /t/sub/Kconfig, /t/parts/one/Kconfig, the seed, then /t/parts/<n>/Kconfig.
make_kconfig_seeds() {
    local out=$1 d n=0
    for d in Tests/KconfigTests/Fixtures/kconfig/*/; do
        {
            cat "$d/Kconfig"
            printf '\n%%%%\n'; [ ! -f "$d/sub/Kconfig" ] || cat "$d/sub/Kconfig"
            printf '\n%%%%\n'; [ ! -f "$d/parts/one/Kconfig" ] || cat "$d/parts/one/Kconfig"
            printf '\n%%%%\n'; [ ! -f "$d/seed" ] || cat "$d/seed"
            for p in "$d"/parts/*/Kconfig; do
                [ -f "$p" ] && [ "$p" != "$d/parts/one/Kconfig" ] || continue
                printf '\n%%%%\n'; cat "$p"
            done
        } > "$out/fixture-$(basename "$d")"
    done
    if [ -n "${MANIFESTC_UNIKRAFT_TREES:-}" ] && [ -d "$MANIFESTC_UNIKRAFT_TREES" ]; then
        while IFS= read -r f; do
            n=$((n + 1)); cp "$f" "$out/tree-$n"
        done < <(find "$MANIFESTC_UNIKRAFT_TREES" -name Config.uk -size -8k | sort | head -200)
    fi
}

max_len() {
    case $1 in
        yaml|manifest|kconfig) echo 4096 ;;   # the fixtures' size; longer inputs only run slower
        config-reader) echo 1024 ;;            # a handful of lines covers a line-by-line reader
        *) echo 4096 ;;
    esac
}

# ---------------------------------------------------------------- run

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus_root=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$artifacts"
[ -n "$shared" ] || echo "== ../shared/corpus is absent: seeding from the fixtures only"

run_target() {
    local t=$1 seeds=$work/seeds/$1 corpus=$corpus_root/$1 log=$work/$1.log
    mkdir -p "$seeds" "$corpus" "$artifacts/$t"
    [ ! -d "Tests/Fuzz/Seeds/$t" ] || cp Tests/Fuzz/Seeds/"$t"/* "$seeds/"
    if [ "$t" = kconfig ]; then
        make_kconfig_seeds "$seeds"
    else
        local fn=seeds_${t//-/_} i=0 f
        if declare -F "$fn" >/dev/null; then
            while IFS= read -r f; do i=$((i + 1)); cp "$f" "$seeds/$i-$(basename "$f")"; done < <("$fn")
        fi
    fi
    local dict=()
    [ ! -f "Tests/Fuzz/$t.dict" ] || dict=(-dict="Tests/Fuzz/$t.dict")
    # LeakSanitizer on. A smaller quarantine and shorter allocation stacks make ASan faster
    # (replay a reproducer without them for full stacks).
    # Swift's own crash backtracer is off: libFuzzer handles the signal, saves the input and
    # ASan prints the stack (the backtracer's memory reads trip ASan instead).
    local start=$SECONDS status=0
    SWIFT_BACKTRACE=enable=no \
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64:malloc_context_size=10} \
    "$build/bin/fuzz-$t" "$corpus" "$seeds" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$t/" ${FUZZ_FLAGS:-} > "$log" 2>&1 || status=$?
    echo $((SECONDS - start)) > "$work/$t.time"
    return $status
}

summary() {
    local t=$1 status=$2 log=$work/$1.log
    local execs cov ft corp rss time
    time=$(cat "$work/$t.time" 2>/dev/null || echo "?")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
    corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    printf '%-14s %-8s execs=%-10s cov=%-6s ft=%-6s corpus=%-12s rss=%sMB time=%ss\n' \
        "$t" "$status" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$time"
}

echo "== fuzzing ${targets[*]} for ${seconds}s each, $jobs at a time"
failed=()
finish() {  # reports target $1, whose fuzzer has exited
    local t=$1 status=ok
    [ "$(cat "$work/$t.rc")" = 0 ] || status=FAILED
    summary "$t" "$status" | tee -a "$work/summary"
    if [ "$status" != ok ]; then
        failed+=("$t")
        echo "---- fuzz-$t output (last 60 lines):"
        tail -60 "$work/$t.log"
        echo "---- reproducer in $artifacts/$t/: $(ls "$artifacts/$t" | tr '\n' ' ')"
        echo "---- replay: $build/bin/fuzz-$t $artifacts/$t/<file>"
    fi
}
queue=("${targets[@]}")
running=()
while [ ${#queue[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
    while [ ${#queue[@]} -gt 0 ] && [ ${#running[@]} -lt "$jobs" ]; do
        t=${queue[0]}; queue=("${queue[@]:1}")
        (set +e; run_target "$t"; echo $? > "$work/$t.rc.tmp"; mv "$work/$t.rc.tmp" "$work/$t.rc") &
        running+=("$t")
    done
    sleep 1
    still=()
    for t in "${running[@]}"; do
        if [ -f "$work/$t.rc" ]; then finish "$t"; else still+=("$t"); fi
    done
    running=("${still[@]}")
done
wait

total=$(sed -n 's/.*execs=\([0-9]*\).*/\1/p' "$work/summary" | awk '{s += $1} END {print s + 0}')
echo "== total executions: $total"
find "$artifacts" -type d -empty -delete 2>/dev/null || true
if [ ${#failed[@]} -gt 0 ]; then
    echo "== FAILED: ${failed[*]} (reproducers in $artifacts)" >&2
    echo "fuzz: $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
    exit 1
fi
echo "== no crash, leak or timeout"
echo "fuzz: ${#targets[@]} passed, 0 failed"
