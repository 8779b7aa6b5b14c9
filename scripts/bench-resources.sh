#!/usr/bin/env bash
# Resource use: compiles every manifest of the visible corpus (and the examples) with all
# artifacts, one process each, and prints the time and peak memory of each, then the
# largest. Nothing should need more than 100 MB.
# Usage: scripts/bench-resources.sh [FOLDER…] (default: ../shared/corpus/manifests examples/*)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product manifestc >/dev/null
bin=$PWD/.build/release/manifestc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

manifests=()
if [ $# -gt 0 ]; then
    for folder in "$@"; do manifests+=("$folder"/*); done
else
    [ -d ../shared/corpus/manifests ] && manifests+=(../shared/corpus/manifests/*)
    manifests+=(examples/*/kraft.yaml)
fi

printf '%-90s %8s %8s %s\n' manifest seconds "peak MB" status
max_kb=0 max_name="" total=0 failed=0
for m in "${manifests[@]}"; do
    out="$tmp/out"
    rm -rf "$out"
    # Every manifest is compiled into its own empty folder; exit 1 (rejected input) is a result, not a failure.
    line=$( { /usr/bin/time -f '%e %M' "$bin" "$m" --emit all -o "$out" --force >/dev/null 2>"$tmp/err"; echo "status=$?"; } 2>&1 )
    status=${line##*status=}
    read -r seconds kb < <(tail -n 2 "$tmp/err" | grep -E '^[0-9.]+ [0-9]+$' | tail -n 1)
    [ "$status" = 0 ] || failed=$((failed + 1))
    printf '%-90s %8s %8.1f %s\n' "$(basename "$m" | cut -c1-90)" "$seconds" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$([ "$status" = 0 ] && echo ok || echo "exit $status")"
    total=$((total + 1))
    if [ "$kb" -gt "$max_kb" ]; then max_kb=$kb max_name=$(basename "$m"); fi
done
echo "$total manifests, $failed rejected; largest peak memory $(awk -v k="$max_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB ($max_name)"
