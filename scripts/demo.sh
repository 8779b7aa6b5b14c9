#!/usr/bin/env bash
# The main job on the bundled example: installs what manifestc needs, builds it,
# checks examples/helloworld/kraft.yaml and prints its normalized form.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product manifestc
example=${1:-examples/helloworld/kraft.yaml}
.build/debug/manifestc validate "$example"
.build/debug/manifestc show "$example" --format yaml
