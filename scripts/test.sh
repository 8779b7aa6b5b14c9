#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build
# Builds swift-argument-parser's generate-manual tool, which the man page test runs
# (ShellIntegrationTests); the page it writes under .build is not used.
swift package generate-manual --configuration debug
swift test "$@"
