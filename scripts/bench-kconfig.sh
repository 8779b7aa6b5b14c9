#!/usr/bin/env bash
# Times manifestc's Kconfig plan of the 0.17 helloworld case against Unikraft's own
# `make defconfig` (with conf already built), side by side, and prints the ratio.
#
# Usage: MANIFESTC_UNIKRAFT_TREES=/work/trees scripts/bench-kconfig.sh
#   $MANIFESTC_UNIKRAFT_TREES/unikraft-0.17   unikraft/unikraft @ 484ff209 (plain checkout)
#   $MANIFESTC_UNIKRAFT_TREES/app-helloworld  unikraft/app-helloworld @ 1add85d5
# Needs make, gcc, flex and bison for Unikraft's conf.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
trees=${MANIFESTC_UNIKRAFT_TREES:?set MANIFESTC_UNIKRAFT_TREES (see the comment at the top)}
seed="$here/../shared/corpus/configs/hello-017-qemu-x86_64.seed"
[ -f "$seed" ] || seed="${MANIFESTC_CORPUS:?set MANIFESTC_CORPUS}/configs/hello-017-qemu-x86_64.seed"
runs=${RUNS:-10}
scratch=${SCRATCH:-$here/.build-kconfig}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building manifestc (release)"
swift build -c release -Xswiftc -enable-testing --scratch-path "$scratch" --package-path "$here" --build-tests >/dev/null

echo "== make defconfig (first run builds conf, not timed)"
mk() {
  make -s -C "$trees/unikraft-0.17" A="$trees/app-helloworld" O="$work/build" C="$work/make.config" \
       N=helloworld UK_DEFCONFIG="$seed" defconfig >/dev/null 2>&1
}
mk
make_times=()
make_rss=0
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" bash -c "$(declare -f mk); trees='$trees' work='$work' seed='$seed'; mk"
  read -r secs rss < "$work/time"
  make_times+=("$secs")
  [ "$rss" -gt "$make_rss" ] && make_rss=$rss
done
make_median=$(printf '%s\n' "${make_times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

echo "== manifestc plan"
bin=$(find -L "$scratch/release/" -maxdepth 1 -name '*PackageTests.xctest' | head -1)
MANIFESTC_BENCH=1 MANIFESTC_BENCH_RUNS=$((runs * 3)) MANIFESTC_BENCH_OUT="$work/ours" \
  MANIFESTC_UNIKRAFT_TREES="$trees" /usr/bin/time -f "%M" -o "$work/ours.rss" \
  "$bin" --testing-library swift-testing --filter KconfigBenchmark >/dev/null 2>&1 || true
cat "$work/ours"
ours_median=$(sed -n 's/.*(parse).*median=\([0-9.]*\) ms.*/\1/p' "$work/ours")
cached_median=$(sed -n 's/.*(disk cache).*median=\([0-9.]*\) ms.*/\1/p' "$work/ours")
process_rss=$(cat "$work/ours.rss")

echo
printf 'make defconfig : median %.1f ms, peak RSS %d KB (largest process)\n' "$(echo "$make_median * 1000" | bc -l)" "$make_rss"
printf 'manifestc plan : median %.2f ms, peak RSS of the whole test process %d KB\n' "$ours_median" "$process_rss"
printf 'ratio          : %.0fx faster (parsing), %.0fx faster (warm disk cache)\n' \
  "$(echo "$make_median * 1000 / $ours_median" | bc -l)" "$(echo "$make_median * 1000 / $cached_median" | bc -l)"
