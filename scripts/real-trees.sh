#!/usr/bin/env bash
# Lays out the real Unikraft trees of the release-matrix test (Tests/PlannerTests/Kconfig/
# ReleaseMatrixTests.swift) from local git repositories, without network:
#
#   scripts/real-trees.sh --unikraft-git DIR --app-helloworld-git DIR OUT
#
# DIR is a git directory (a bare clone or a mirror, or a checkout's .git) of unikraft/unikraft and of
# unikraft/app-helloworld. For every release from 0.13.1 to 0.17.0 and for staging it writes plain
# trees (git archive, no .git, so conf sees no '~sha' in the version):
#
#   OUT/releases/<release>/unikraft         unikraft at RELEASE-<release> (or staging)
#   OUT/releases/<release>/app-helloworld   app-helloworld at the same tag, else at the newest
#                                           commit of its staging no later than the release's commit
#   OUT/releases/<release>/commits          the two commit ids
#
# Then `MANIFESTC_UNIKRAFT_TREES=OUT swift test --filter ReleaseMatrixRealTreeTests` runs the matrix.
# Trees already laid out at the same commits are left as they are.
set -euo pipefail

usage() { echo "usage: $0 --unikraft-git DIR --app-helloworld-git DIR OUT" >&2; exit 2; }
unikraft_git="" app_git="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --unikraft-git) unikraft_git="${2:-}"; shift 2 || usage ;;
        --app-helloworld-git) app_git="${2:-}"; shift 2 || usage ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) [ -z "$out" ] || usage; out="$1"; shift ;;
    esac
done
[ -n "$unikraft_git" ] && [ -n "$app_git" ] && [ -n "$out" ] || usage

releases=(0.13.1 0.14.0 0.15.0 0.16.0 0.16.1 0.16.2 0.16.3 0.17.0 staging)

ukgit() { git --git-dir="$unikraft_git" "$@"; }
appgit() { git --git-dir="$app_git" "$@"; }

# Writes the tree of commit $2 of repository $1 (a function name) into folder $3, through a temp folder.
extract() {
    local repo="$1" commit="$2" dest="$3" tmp
    tmp="$(mktemp -d "$(dirname "$dest")/.extract.XXXXXX")"
    chmod 755 "$tmp"
    "$repo" archive --format=tar "$commit" | tar -x -C "$tmp"
    rm -rf "$dest"
    mv "$tmp" "$dest"
}

for release in "${releases[@]}"; do
    if [ "$release" = staging ]; then ref=staging; else ref="RELEASE-$release"; fi
    uk_commit="$(ukgit rev-parse --verify "$ref^{commit}")"
    if app_commit="$(appgit rev-parse --verify --quiet "$ref^{commit}")"; then :; else
        date="$(ukgit log -1 --format=%cI "$uk_commit")"
        app_commit="$(appgit rev-list -1 --before="$date" staging)"
    fi
    dir="$out/releases/$release"
    mkdir -p "$dir"
    want="unikraft $uk_commit
app-helloworld $app_commit"
    if [ -f "$dir/commits" ] && [ "$(cat "$dir/commits")" = "$want" ] && [ -f "$dir/unikraft/Config.uk" ] && [ -f "$dir/app-helloworld/Config.uk" ]; then
        echo "$release: unikraft ${uk_commit:0:8}, app-helloworld ${app_commit:0:8} (already there)"
        continue
    fi
    rm -f "$dir/commits"
    extract ukgit "$uk_commit" "$dir/unikraft"
    extract appgit "$app_commit" "$dir/app-helloworld"
    printf '%s\n' "$want" > "$dir/commits"
    echo "$release: unikraft ${uk_commit:0:8}, app-helloworld ${app_commit:0:8}"
done
