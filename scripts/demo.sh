#!/usr/bin/env bash
# The main job on a bundled example: installs what manifestc needs and manifestc itself
# (release build, shell completions and man page, through scripts/install.sh), checks the
# manifest and compiles it into a manual Unikraft setup under out/<example>/, then shows the
# QEMU command the emitted launch.sh would run.
# Usage: scripts/demo.sh [EXAMPLE] (default: helloworld; see examples/)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-$HOME/.local}
bash scripts/install.sh "$prefix"
manifestc=$prefix/bin/manifestc
example=${1:-helloworld}
manifest=examples/$example/kraft.yaml
out=out/$example
"$manifestc" validate "$manifest"
"$manifestc" "$manifest" --emit all --output-dir "$out"
ls -A "$out"
"$out/launch.sh" --dry-run --tcg
