#!/usr/bin/env bash
# Times a whole `manifestc plan` process (release build) against Unikraft's warm `make defconfig`
# (conf already built) on hello-017 (helloworld, qemu/x86_64, Unikraft 0.17.0), side by side in
# one hyperfine run, on the tree as a git checkout (CONFIG_UK_FULLVERSION carries its commit) and
# as a plain export, and on a catalog-core app with its libraries; manifestc twice: parsing the
# tree (MANIFESTC_NO_CACHE=1) and with its tree cache warm. Prints the medians, the ratios and the
# peak memory of each, and checks that every .config is make's.
#
# Usage: MANIFESTC_UNIKRAFT_TREES=/work/trees scripts/bench-plan.sh [MANIFESTC]
#   $MANIFESTC_UNIKRAFT_TREES/unikraft-0.17   unikraft/unikraft 0.17.0 (plain checkout)
#   $MANIFESTC_UNIKRAFT_TREES/app-helloworld  unikraft/app-helloworld
#   MANIFESTC: a manifestc binary to time (default: this checkout's release build, linked as
#     scripts/install.sh links it, in .build-static)
#   BASELINE=path: another manifestc binary (an older build) timed in the same run
#   CATALOG_APP=OUT/catalog-core/cpp-http: a catalog-core app laid out by scripts/real-trees.sh
#     (--catalog-core-git --libs-git); imported, then planned for qemu/x86_64 with its libraries
#   EXTRA_LIBS=dir:dir…: library checkouts added to the catalog app's (make's L= and --lib), for a
#     plan with more libraries than any catalog-core app has (at most 7)
# Needs hyperfine, git, make, gcc, flex and bison (for Unikraft's conf). RUNS (default 20).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
trees=${MANIFESTC_UNIKRAFT_TREES:?set MANIFESTC_UNIKRAFT_TREES (see the comment at the top)}
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin=${1:-}
if [ -z "$bin" ]; then
  # Linked as scripts/install.sh links the installed binary (the Swift runtime in the binary).
  echo "== building manifestc (release, --static-swift-stdlib)"
  swift build -c release --product manifestc --static-swift-stdlib --scratch-path "$here/.build-static" --package-path "$here" >/dev/null
  bin=$(swift build -c release --static-swift-stdlib --scratch-path "$here/.build-static" --show-bin-path --package-path "$here")/manifestc
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
# The cache lives in the scratch folder: XDG_CACHE_HOME is set for the whole hyperfine run
# (make reads no such variable), so a cached plan runs as a user runs it. The parsing variant
# needs `env MANIFESTC_NO_CACHE=1`, whose own start (about 1 ms) it pays.
export XDG_CACHE_HOME=$work/cache
mc() { echo "${3:+env $3 }${2:-$bin} plan $work/app/kraft.yaml --uk-root $work/$1 --target qemu/x86_64 -o $work/ours-$1.config"; }
nocache=MANIFESTC_NO_CACHE=1
for tree in plain checkout; do $(mk $tree) >/dev/null 2>&1; done   # builds conf, not timed

# name|command|make's .config|manifestc's .config (empty for make), one case a line.
cases=(
  "make defconfig (export)|$(mk plain)||"
  "manifestc plan, parsing (export)|$(mc plain "$bin" $nocache)|$work/make-plain.config|$work/ours-plain.config"
  "manifestc plan, cached (export)|$(mc plain)|$work/make-plain.config|$work/ours-plain.config"
  "make defconfig (git checkout)|$(mk checkout)||"
  "manifestc plan, parsing (git checkout)|$(mc checkout "$bin" $nocache)|$work/make-checkout.config|$work/ours-checkout.config"
  "manifestc plan, cached (git checkout)|$(mc checkout)|$work/make-checkout.config|$work/ours-checkout.config"
)
[ -z "${BASELINE:-}" ] || cases+=("baseline plan (export)|$(mc plain "$BASELINE" $nocache)|$work/make-plain.config|$work/ours-plain.config")

if [ -n "${CATALOG_APP:-}" ]; then
  app=$(cd "$CATALOG_APP" && pwd)
  name=$(basename "$app")
  # A= and L= as the app's own Makefile gives them to Unikraft's make.
  dry=$(cd "$app" && PWD=$app make -n -f Makefile defconfig 2>/dev/null || true)   # its sub-make fails in a dry run
  line=$(grep -m1 -- ' defconfig$' <<<"$dry")
  ukroot=$(sed -n 's/.*make -C \([^ ]*\) .*/\1/p' <<<"$line")
  libs=$(sed -n 's/.* L=\([^ ]*\) .*/\1/p' <<<"$line")
  # More real libraries on top of the app's own (no catalog-core app has 10 or more).
  [ -z "${EXTRA_LIBS:-}" ] || libs="$libs:$EXTRA_LIBS"
  libargs=$(tr ':' '\n' <<<"$libs" | grep -v "^$app\$" | sed 's/^/--lib /' | tr '\n' ' ')
  # The app's own files (Config.uk, Makefile.uk) beside the manifest: both read the same A=.
  mkdir -p "$work/apps"
  cp -a "$app" "$work/apps/$name"
  rm -rf "$work/apps/$name/workdir" "$work/apps/$name/Makefile"
  "$bin" import "$app" -o "$work/apps/$name/kraft.yaml" --force --uk-root "$ukroot" $libargs >/dev/null 2>&1 \
    || { echo "manifestc import failed on $app"; exit 1; }
  libs=$(tr ':' '\n' <<<"$libs" | sed "s|^$app\$|$work/apps/$name|" | paste -sd:)
  seed=$app/.scripts/defconfig/qemu.x86_64
  if [ -n "${EXTRA_LIBS:-}" ]; then
    # The extra libraries join the manifest's list (import lists the app's own), and make starts
    # from the seed manifestc emits for the manifest, so that both configure the same thing.
    # The manifest names make's L= order (the order of the menus in .config), which is not
    # manifestc's default (KraftKit's: C++ runtimes and libc first, then by path).
    extra=$(for lib in $(tr ':' ' ' <<<"$EXTRA_LIBS"); do printf '  %s: stable\\n' "$(basename "$lib")"; done)
    order=$(tr ':' '\n' <<<"$libs" | grep -v "^$app\$" | xargs -n1 basename | paste -sd, | sed 's/,/, /g')
    awk -v extra="$extra" -v order="  library-order: [$order]" '
      inlibs && !/^  / { printf "%s", extra; inlibs = 0 }
      { print }
      /^libraries:$/ { inlibs = 1 }
      /^x-manifestc:$/ { print order; ordered = 1 }
      END { if (inlibs) printf "%s", extra; if (!ordered) { print "x-manifestc:"; print order } }' "$work/apps/$name/kraft.yaml" > "$work/kraft.yaml.extra"
    mv "$work/kraft.yaml.extra" "$work/apps/$name/kraft.yaml"
    "$bin" emit "$work/apps/$name/kraft.yaml" --uk-root "$ukroot" $libargs --target qemu/x86_64 --emit defconfig >/dev/null 2>&1 \
      || { echo "manifestc emit failed on $name with the extra libraries"; exit 1; }
    seed=$work/apps/$name/defconfig.qemu-x86_64
  fi
  cmk="make -s -C $ukroot A=$work/apps/$name L=$libs O=$work/build-catalog C=$work/make-catalog.config UK_DEFCONFIG=$seed defconfig"
  cmc() { echo "${1:+env $1 }$bin plan $work/apps/$name/kraft.yaml --uk-root $ukroot $libargs --target qemu/x86_64 -o $work/ours-catalog.config"; }
  $cmk >/dev/null 2>&1   # builds conf, not timed
  echo "== $name: $(tr ':' '\n' <<<"$libs" | grep -vc "^$app\$") libraries"
  cases+=(
    "make defconfig ($name)|$cmk||"
    "manifestc plan, parsing ($name)|$(cmc $nocache)|$work/make-catalog.config|$work/ours-catalog.config"
    "manifestc plan, cached ($name)|$(cmc)|$work/make-catalog.config|$work/ours-catalog.config"
  )
fi

args=()
for c in "${cases[@]}"; do IFS='|' read -r n cmd _ _ <<<"$c"; args+=(-n "$n" "$cmd"); done
echo "== hyperfine ($runs runs each, warm)"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/times.json" "${args[@]}" >/dev/null

peaks=()
for c in "${cases[@]}"; do
  IFS='|' read -r n cmd _ _ <<<"$c"
  /usr/bin/time -f %M -o "$work/rss" bash -c "$cmd >/dev/null 2>&1"
  peaks+=("$n=$(cat "$work/rss")")
done
python3 - "$work/times.json" "${peaks[@]}" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(p.rsplit("=", 1) for p in sys.argv[2:])
for name, r in results.items():
    print(f"{name:44s} median {r['median'] * 1000:7.1f} ms  (user {r['user'] * 1000:6.1f} ms, system {r['system'] * 1000:5.1f} ms)  peak RSS {rss[name]} KB")
for name in results:
    if name.startswith("make defconfig ("):
        case = name[len("make defconfig "):]
        m = results[name]["median"]
        ratios = [f"{what}: {m / results[f'{what} {case}']['median']:.1f}x"
                  for what in ["manifestc plan, parsing", "manifestc plan, cached", "baseline plan"] if f"{what} {case}" in results]
        print(f"faster than make defconfig {case}: " + ", ".join(ratios))
EOF
for c in "${cases[@]}"; do
  IFS='|' read -r n _ theirs ours <<<"$c"
  [ -n "$ours" ] || continue
  cmp -s "$theirs" "$ours" || { echo "$n: the .config differs from make's"; diff "$theirs" "$ours" | head; exit 1; }
done
echo "every .config is make's"
