#!/usr/bin/env bash
# Lays out the real Unikraft trees of the release-matrix test (Tests/manifestcTests/
# ReleaseMatrixRealTreeTests.swift) from local git repositories, without network:
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
#
#   scripts/real-trees.sh --unikraft-git DIR --catalog-core-git DIR --libs-git LIBS OUT
#
# lays out unikraft/catalog-core (its default branch) as its own setup.sh would, for every app
# folder with a Makefile: OUT/catalog-core/<app>/workdir/{unikraft (staging), libs/<name>,
# apps/elfloader}. LIBS is a folder of git directories named lib-<name> (or unikraft+lib-<name>/repo,
# as the search tool's mirrors are) and app-elfloader; each at its default branch (HEAD). An app
# needing a library LIBS lacks gets OUT/catalog-core/<app>/SKIPPED with the reason.
# Then `MANIFESTC_UNIKRAFT_TREES=OUT swift test --filter ImportRoundTripRealTreeTests` runs the round trip.
# Trees already laid out at the same commits are left as they are.
set -euo pipefail

usage() { echo "usage: $0 --unikraft-git DIR (--app-helloworld-git DIR [--lib-musl-git DIR] | --catalog-core-git DIR --libs-git DIR) OUT" >&2; exit 2; }
unikraft_git="" app_git="" musl_git="" catalog_git="" libs_git="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --unikraft-git) unikraft_git="${2:-}"; shift 2 || usage ;;
        --app-helloworld-git) app_git="${2:-}"; shift 2 || usage ;;
        --lib-musl-git) musl_git="${2:-}"; shift 2 || usage ;;
        --catalog-core-git) catalog_git="${2:-}"; shift 2 || usage ;;
        --libs-git) libs_git="${2:-}"; shift 2 || usage ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) [ -z "$out" ] || usage; out="$1"; shift ;;
    esac
done
if [ -z "$unikraft_git" ] || [ -z "$out" ] || { [ -z "$app_git" ] && [ -z "$catalog_git" ]; }; then usage; fi
if [ -n "$catalog_git" ] && [ -z "$libs_git" ]; then usage; fi

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
    $repo archive --format=tar "$commit" | tar -x -C "$tmp"
    rm -rf "$dest"
    mv "$tmp" "$dest"
}

# The git directory of component $1 (lib-musl, app-elfloader) under --libs-git, or nothing.
component_git() {
    local d
    for d in "$libs_git/$1" "$libs_git/$1.git" "$libs_git/unikraft+$1/repo"; do
        if [ -d "$d" ] && git --git-dir="$d" rev-parse --verify --quiet HEAD >/dev/null; then echo "$d"; return; fi
    done
}

catalog_core() {
    local cc_commit uk_commit app make want dir names name git missing
    cc_commit="$(git --git-dir="$catalog_git" rev-parse --verify HEAD)"
    uk_commit="$(ukgit rev-parse --verify 'staging^{commit}')"
    for app in $(git --git-dir="$catalog_git" ls-tree --name-only HEAD); do
        make="$(git --git-dir="$catalog_git" show "HEAD:$app/Makefile" 2>/dev/null)" || continue
        dir="$out/catalog-core/$app"
        # The libraries the Makefile names under workdir/libs ($(LIBS_BASE)/<name>), and app-elfloader.
        names="$(printf '%s\n' "$make" | grep -o 'LIBS_BASE)/[A-Za-z0-9_-]*' | sed 's|.*/||' | awk '!seen[$0]++' || true)"
        want="catalog-core $cc_commit
unikraft $uk_commit"
        missing=""
        for name in $names; do
            git="$(component_git "lib-$name")"
            if [ -z "$git" ]; then missing="$missing lib-$name"; continue; fi
            want="$want
lib-$name $(git --git-dir="$git" rev-parse HEAD)"
        done
        if printf '%s\n' "$make" | grep -q 'workdir/apps/elfloader'; then
            git="$(component_git app-elfloader)"
            if [ -z "$git" ]; then missing="$missing app-elfloader"; else want="$want
app-elfloader $(git --git-dir="$git" rev-parse HEAD)"; fi
        fi
        if [ -f "$dir/commits" ] && [ "$(cat "$dir/commits")" = "$want" ]; then echo "catalog-core/$app: already there"; continue; fi
        rm -rf "$dir"
        mkdir -p "$dir"
        if [ -n "$missing" ]; then
            echo "needs$missing, not under $libs_git" > "$dir/SKIPPED"
            echo "catalog-core/$app: skipped (needs$missing)"
            continue
        fi
        git --git-dir="$catalog_git" archive --format=tar HEAD "$app" | tar -x -C "$out/catalog-core"
        mkdir -p "$dir/workdir/libs" "$dir/workdir/apps"
        extract ukgit "$uk_commit" "$dir/workdir/unikraft"
        for name in $names; do
            git="$(component_git "lib-$name")"
            extract "git --git-dir=$git" HEAD "$dir/workdir/libs/$name"
        done
        if printf '%s\n' "$make" | grep -q 'workdir/apps/elfloader'; then
            extract "git --git-dir=$(component_git app-elfloader)" HEAD "$dir/workdir/apps/elfloader"
        fi
        printf '%s\n' "$want" > "$dir/commits"
        echo "catalog-core/$app: ${want//$'\n'/, }"
    done
}

if [ -n "$catalog_git" ]; then mkdir -p "$out/catalog-core"; catalog_core; fi
[ -n "$app_git" ] || exit 0

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
