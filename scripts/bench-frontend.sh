#!/usr/bin/env bash
# Front-end benchmark: parse + normalize throughput on a large generated manifest,
# and the time to validate the whole visible corpus in one process. Prints numbers
# for manifestc and, side by side, for PyYAML (what pykraft reads manifests with).
# Usage: scripts/bench-frontend.sh [size-in-MB] (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-20}
runs=5
# Peak memory (KB) of one run of a command.
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
swift build -c release --product manifestc >/dev/null
bin=.build/release/manifestc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A manifest of about size_mb MB: many libraries, each with a kconfig map and list.
python3 - "$tmp/big.yaml" "$size_mb" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2]) * 1_000_000
out = ["spec: v0.6", "name: big", "unikraft:", "  version: stable", "  kconfig:"]
out += [f"    CONFIG_CORE_{i}: 'y'" for i in range(200)]
out += ["targets:", "  - qemu/x86_64", "  - fc/arm64", "libraries:"]
total = sum(len(l) + 1 for l in out)
i = 0
while total < size:
    block = [f"  lib{i}:", "    source: https://github.com/unikraft/lib-example.git", f"    version: 'v{i}.0'", "    kconfig:"]
    block += [f"      CONFIG_LIB{i}_OPTION_{j}: {j}" for j in range(20)]
    block += [f"      CONFIG_LIB{i}_NAME: \"lib {i} with spaces\""]
    out += block
    total += sum(len(l) + 1 for l in block)
    i += 1
open(path, "w").write("\n".join(out) + "\n")
PY
bytes=$(stat -c %s "$tmp/big.yaml")
printf 'spec: v0.6\nname: tiny\n' > "$tmp/tiny.yaml"

# Best wall time of $runs runs of a command, in seconds.
best() {
    local best_ns=
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        local t=$((end - start))
        if [ -z "$best_ns" ] || [ "$t" -lt "$best_ns" ]; then best_ns=$t; fi
    done
    awk -v ns="$best_ns" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

pyyaml() {
    python3 -c 'import sys, yaml
L = getattr(yaml, sys.argv[1])
for p in sys.argv[2:]:
    with open(p, "rb") as f: yaml.load(f, Loader=L)' "$@"
}

startup=$(best "$bin" validate "$tmp/tiny.yaml")
big=$(best "$bin" validate "$tmp/big.yaml")
pyc_big=$(best pyyaml CSafeLoader "$tmp/big.yaml")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
rate() { awk -v b="$bytes" -v t="$1" -v s="${2:-0}" 'BEGIN { printf "%.1f", b / 1e6 / (t - s) }'; }

echo "large manifest: $mb MB, best of $runs runs"
printf '  %-34s %8ss  %7s MB/s\n' "manifestc validate (whole process)" "$big" "$(rate "$big")"
printf '  %-34s %8ss  %7s MB/s\n' "manifestc, less process start-up" "$(awk -v a="$big" -v b="$startup" 'BEGIN { printf "%.4f", a - b }')" "$(rate "$big" "$startup")"
printf '  %-34s %8ss  %7s MB/s\n' "PyYAML CSafeLoader (libyaml)" "$pyc_big" "$(rate "$pyc_big")"
printf '  %-34s %8s MB\n' "manifestc peak memory" "$(( $(peak_kb "$bin" validate "$tmp/big.yaml") / 1024 ))"

corpus=../shared/corpus/manifests
if [ -d "$corpus" ]; then
    count=$(find "$corpus" -type f | wc -l)
    corpus_time=$(best "$bin" validate "$corpus"/*)
    py_corpus=$(best pyyaml CSafeLoader "$corpus"/*)
    echo "visible corpus: $count manifests in one process, best of $runs runs"
    printf '  %-34s %8ss\n' "manifestc validate" "$corpus_time"
    printf '  %-34s %8ss\n' "PyYAML CSafeLoader (parse only)" "$py_corpus"
else
    echo "visible corpus: ../shared/corpus is absent; skipped"
fi
