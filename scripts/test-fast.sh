#!/usr/bin/env bash
# The fast local loop: `swift test` without the suites and tests tagged `.slow` or `.realTree`
# (subprocesses, real trees, boots, long property runs). This toolchain's `swift test` cannot
# skip by tag, so they are skipped by name, read from the tags in Tests/ (one source of truth).
# Extra arguments go to `swift test`, for example: scripts/test-fast.sh --skip-build
# `scripts/test-fast.sh --list` prints the skip pattern instead.
set -euo pipefail
cd "$(dirname "$0")/.."
# `@Suite(… .slow …) struct Name` → `Module.Name`; `@Test(… .slow …) func name` → `/name(`.
pattern=$(find Tests -name '*.swift' -print0 | sort -z | xargs -0 perl -0777 -ne '
    my ($module) = $ARGV =~ m{^Tests/([^/]+)/};
    while (/\@(Suite|Test)\(((?:[^()]|\((?2)\))*)\)\s*(?:struct|func)\s+(\w+)/g) {
        my ($kind, $traits, $name) = ($1, $2, $3);
        next unless $traits =~ /\.tags\([^)]*\.(?:slow|realTree)\b/;
        print $kind eq "Suite" ? "\\b\Q$module.$name\E\\b\n" : "/\Q$name\E\\(\n";
    }' | sort -u | paste -sd '|')
if [ "${1:-}" = "--list" ]; then printf '%s\n' "$pattern"; exit 0; fi
exec swift test --skip "$pattern" "$@"
