#!/usr/bin/env bash
# The main job on a bundled example: installs what manifestc needs, builds it, checks
# the manifest and compiles it into a manual Unikraft setup under out/<example>/, then
# shows the QEMU command the emitted launch.sh would run.
# Usage: scripts/demo.sh [EXAMPLE] (default: helloworld; see examples/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product manifestc
example=${1:-helloworld}
manifest=examples/$example/kraft.yaml
out=out/$example
.build/debug/manifestc validate "$manifest"
.build/debug/manifestc "$manifest" --emit all --output-dir "$out"
ls -A "$out"
"$out/launch.sh" --dry-run --tcg
