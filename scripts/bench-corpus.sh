#!/usr/bin/env bash
# Compiles every manifest of ../shared/corpus/manifests with --emit all in ONE manifestc
# process (release build), with the corpus copied 1, 2 and 4 times, each manifest in a
# folder of its own; prints the total wall time, the time per manifest, the slowest
# manifests and the peak memory (/usr/bin/time), then the same for --check over the result.
# Usage: scripts/bench-corpus.sh [CORPUS_FOLDER] [COPIES...]   (default copies: 1 2 4)
#   TREE=/work/trees/unikraft-0.17: plan every manifest against that Unikraft tree (--uk-root)
#   JOBS=N: manifests compiled at the same time (--concurrency; default: one per core)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/manifests}
shift || true
copies=("$@")
[ ${#copies[@]} -gt 0 ] || copies=(1 2 4)
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time; scripts/setup.sh installs it)" >&2; exit 2; }
swift build -c release --product manifestc >/dev/null
bin=$(swift build -c release --show-bin-path)/manifestc
scratch=$(mktemp -d "${TMPDIR:-/tmp}/manifestc-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
count=$(find "$corpus" -maxdepth 1 -type f | wc -l)
for f in "$corpus"/*; do basename "$f"; done > "$scratch/names"
echo "corpus: $count manifests ($corpus); $(nproc) cores; manifestc $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-6s %10s %8s %12s %14s %12s %12s\n' copies manifests failed "total (s)" "per manifest" "peak RSS" "--check (s)"
for n in "${copies[@]}"; do
    tree="$scratch/x$n"
    for ((c = 1; c <= n; c++)); do
        i=0
        for f in "$corpus"/*; do
            i=$((i + 1))
            mkdir -p "$tree/copy$c/$(printf %03d $i)"
            cp "$f" "$tree/copy$c/$(printf %03d $i)/Kraftfile"
        done
    done
    /usr/bin/time -f '%e %M' -o "$scratch/time" "$bin" "$tree" --emit all ${TREE:+--uk-root "$TREE"} ${JOBS:+--concurrency "$JOBS"} --format json > "$scratch/emit-$n.json" 2>/dev/null || true
    read -r seconds rss < <(tail -n 1 "$scratch/time")
    /usr/bin/time -f '%e %M' -o "$scratch/time-check" "$bin" "$tree" --check ${TREE:+--uk-root "$TREE"} >/dev/null 2>&1 || true
    read -r check_seconds _ < <(tail -n 1 "$scratch/time-check")
    python3 - "$scratch/emit-$n.json" "$n" "$seconds" "$rss" "$check_seconds" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
n, seconds, rss, check = sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ms = [m["milliseconds"] for m in doc["manifests"]]
failed = sum(1 for m in doc["manifests"] if m["result"] != "ok")
print(f"{n:<6} {len(ms):>10} {failed:>8} {seconds:>12.2f} {seconds / len(ms) * 1000:>11.2f} ms {rss / 1024:>9.1f} MiB {float(check):>12.2f}")
PY
done
# Per manifest (from the first run's JSON): each one's own compile time inside the process.
python3 - "$scratch/emit-${copies[0]}.json" "$scratch/names" <<'PY'
import json, sys, statistics
doc = json.load(open(sys.argv[1]))
names = open(sys.argv[2]).read().split("\n")
def name(path):  # .../copyC/NNN/Kraftfile -> the corpus file's name
    parts = path.split("/")
    return names[int(parts[-2]) - 1]
rows = sorted(((m["milliseconds"], name(m["manifest"]), m["result"]) for m in doc["manifests"]), reverse=True)
ms = [r[0] for r in rows]
print(f"per manifest (x{sys.argv[1].split('emit-')[1].split('.')[0]}, inside the process): "
      f"median {statistics.median(ms):.0f} ms, mean {statistics.mean(ms):.1f} ms, max {ms[0]} ms; slowest:")
for t, path, result in rows[:5]:
    print(f"  {t:>5} ms  {result:<6}  {path}")
PY
