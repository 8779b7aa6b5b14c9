#!/usr/bin/env bash
# Lays out the real Unikraft trees of the release-matrix test (Tests/PlannerTests/Kconfig/
# ReleaseMatrixTests.swift) from local git repositories, without network:
#
#   scripts/real-trees.sh --unikraft-git DIR --app-helloworld-git DIR [--lib-musl-git DIR] OUT
#
# DIR is a git directory (a bare clone or a mirror, or a checkout's .git) of unikraft/unikraft and of
# unikraft/app-helloworld. For every release from 0.13.1 to 0.17.0 and for staging it writes plain
# trees (git archive, no .git, so conf sees no '~sha' in the version):
#
#   OUT/releases/<release>/unikraft         unikraft at RELEASE-<release> (or staging)
#   OUT/releases/<release>/app-helloworld   app-helloworld at the same tag, else at the newest
#                                           commit of its staging no later than the release's commit
#   OUT/releases/<release>/lib-musl         with --lib-musl-git: lib-musl, chosen like app-helloworld
#   OUT/releases/<release>/commits          the commit ids
#
# Then `MANIFESTC_UNIKRAFT_TREES=OUT swift test --filter ReleaseMatrixRealTreeTests` runs the matrix.
# Trees already laid out at the same commits are left as they are.
set -euo pipefail

usage() { echo "usage: $0 --unikraft-git DIR --app-helloworld-git DIR [--lib-musl-git DIR] OUT" >&2; exit 2; }
unikraft_git="" app_git="" musl_git="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --unikraft-git) unikraft_git="${2:-}"; shift 2 || usage ;;
        --app-helloworld-git) app_git="${2:-}"; shift 2 || usage ;;
        --lib-musl-git) musl_git="${2:-}"; shift 2 || usage ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) [ -z "$out" ] || usage; out="$1"; shift ;;
    esac
done
if [ -z "$unikraft_git" ] || [ -z "$app_git" ] || [ -z "$out" ]; then usage; fi

releases=(0.13.1 0.14.0 0.15.0 0.16.0 0.16.1 0.16.2 0.16.3 0.17.0 staging)

ukgit() { git --git-dir="$unikraft_git" "$@"; }
appgit() { git --git-dir="$app_git" "$@"; }
muslgit() { git --git-dir="$musl_git" "$@"; }

# The commit of a companion repository ($1, a function name) for release ref $2 of unikraft
# (commit $3): the same tag, else the newest commit of its staging no later than the release.
companion() {
    local repo="$1" ref="$2" uk_commit="$3" date
    if "$repo" rev-parse --verify --quiet "$ref^{commit}"; then return; fi
    date="$(ukgit log -1 --format=%cI "$uk_commit")"
    "$repo" rev-list -1 --before="$date" staging
}

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
    app_commit="$(companion appgit "$ref" "$uk_commit")"
    dir="$out/releases/$release"
    mkdir -p "$dir"
    want="unikraft $uk_commit
app-helloworld $app_commit"
    if [ -n "$musl_git" ]; then
        musl_commit="$(companion muslgit "$ref" "$uk_commit")"
        want="$want
lib-musl $musl_commit"
    fi
    if [ -f "$dir/commits" ] && [ "$(cat "$dir/commits")" = "$want" ]; then
        echo "$release: ${want//$'\n'/, } (already there)"
        continue
    fi
    rm -f "$dir/commits"
    extract ukgit "$uk_commit" "$dir/unikraft"
    extract appgit "$app_commit" "$dir/app-helloworld"
    if [ -n "$musl_git" ]; then extract muslgit "$musl_commit" "$dir/lib-musl"; else rm -rf "$dir/lib-musl"; fi
    printf '%s\n' "$want" > "$dir/commits"
    echo "$release: ${want//$'\n'/, }"
done
