#!/usr/bin/env bash
# Times a whole `manifestc plan` process (release build) against Unikraft's warm `make defconfig`
# (conf already built) on hello-017 (helloworld, qemu/x86_64, Unikraft 0.17.0), side by side in
# one hyperfine run, on the tree as a git checkout (CONFIG_UK_FULLVERSION carries its commit) and
# as a plain export; prints the medians, the ratios and the peak memory of each.
#
# Usage: MANIFESTC_UNIKRAFT_TREES=/work/trees scripts/bench-plan.sh [MANIFESTC]
#   $MANIFESTC_UNIKRAFT_TREES/unikraft-0.17   unikraft/unikraft 0.17.0 (plain checkout)
#   $MANIFESTC_UNIKRAFT_TREES/app-helloworld  unikraft/app-helloworld
#   MANIFESTC: a manifestc binary to time (default: this checkout's release build)
#   BASELINE=path: another manifestc binary (an older build) timed in the same run
# Needs hyperfine, git, make, gcc, flex and bison (for Unikraft's conf). RUNS (default 20).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
trees=${MANIFESTC_UNIKRAFT_TREES:?set MANIFESTC_UNIKRAFT_TREES (see the comment at the top)}
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin=${1:-}
if [ -z "$bin" ]; then
  echo "== building manifestc (release)"
  swift build -c release --product manifestc --package-path "$here" >/dev/null
  bin=$(swift build -c release --show-bin-path --package-path "$here")/manifestc
fi

# The tree twice: as exported (no .git) and as a git checkout of one commit.
cp -a "$trees/unikraft-0.17" "$work/plain"
cp -a "$trees/unikraft-0.17" "$work/checkout"
git -C "$work/checkout" init -q
git -C "$work/checkout" add -A
git -C "$work/checkout" -c user.name=bench -c user.email=bench@localhost commit -q -m 0.17.0
cp -a "$trees/app-helloworld" "$work/app"

# make starts from the seed manifestc emits for the target, so both write the same .config.
cp -a "$work/app" "$work/seed-app"
"$bin" emit "$work/seed-app/kraft.yaml" --uk-root "$work/plain" --target qemu/x86_64 --emit defconfig >/dev/null 2>&1
seed="$work/seed-app/defconfig.qemu-x86_64"
for tree in plain checkout; do
  "$bin" plan "$work/app/kraft.yaml" --uk-root "$work/$tree" --target qemu/x86_64 --format json 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["full"])' | grep -qx True \
    || { echo "manifestc did not plan the full configuration on $tree"; exit 1; }
done

mk() { echo "make -s -C $work/$1 A=$work/app O=$work/build-$1 C=$work/make-$1.config N=helloworld UK_DEFCONFIG=$seed defconfig"; }
mc() { echo "${2:-$bin} plan $work/app/kraft.yaml --uk-root $work/$1 --target qemu/x86_64 -o $work/ours-$1.config"; }
for tree in plain checkout; do $(mk $tree) >/dev/null 2>&1; done   # builds conf, not timed

echo "== hyperfine ($runs runs each, warm)"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/times.json" \
  -n "make defconfig (export)" "$(mk plain)" -n "manifestc plan (export)" "$(mc plain)" \
  -n "make defconfig (git checkout)" "$(mk checkout)" -n "manifestc plan (git checkout)" "$(mc checkout)" \
  ${BASELINE:+-n "baseline plan (export)" "$(mc plain "$BASELINE")" -n "baseline plan (git checkout)" "$(mc checkout "$BASELINE")"} >/dev/null

peak() { /usr/bin/time -f %M -o "$work/rss" bash -c "$1 >/dev/null 2>&1"; cat "$work/rss"; }
python3 - "$work/times.json" "$(peak "$(mk plain)")" "$(peak "$(mc plain)")" "$(peak "$(mk checkout)")" "$(peak "$(mc checkout)")" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = {"baseline plan (export)": "-", "baseline plan (git checkout)": "-"}
rss |= dict(zip(["make defconfig (export)", "manifestc plan (export)", "make defconfig (git checkout)", "manifestc plan (git checkout)"], sys.argv[2:]))
for name, r in results.items():
    print(f"{name:32s} median {r['median'] * 1000:7.1f} ms  (user {r['user'] * 1000:6.1f} ms, system {r['system'] * 1000:5.1f} ms)  peak RSS {rss[name]} KB")
for tree in ["export", "git checkout"]:
    m, o = results[f"make defconfig ({tree})"]["median"], results[f"manifestc plan ({tree})"]["median"]
    print(f"ratio ({tree}): {m / o:.1f}x faster than make defconfig")
    if f"baseline plan ({tree})" in results:
        print(f"  the baseline: {m / results[f'baseline plan ({tree})']['median']:.1f}x")
EOF
for tree in plain checkout; do
  cmp -s "$work/make-$tree.config" "$work/ours-$tree.config" && echo "$tree: the same .config as make's" \
    || { echo "$tree: the .config differs from make's"; diff "$work/make-$tree.config" "$work/ours-$tree.config" | head; exit 1; }
done
