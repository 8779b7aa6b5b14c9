#!/usr/bin/env bash
# Builds manifestc (release) and installs it with its shell completions and man page.
# Usage: scripts/install.sh [PREFIX]   (default: $PREFIX, else ~/.local)
#   PREFIX/bin/manifestc
#   PREFIX/share/bash-completion/completions/manifestc
#   PREFIX/share/zsh/site-functions/_manifestc
#   PREFIX/share/fish/vendor_completions.d/manifestc.fish
#   PREFIX/share/man/man1/manifestc.1
# The completions and the man page are generated from the command-line definition
# (swift-argument-parser's --generate-completion-script and its GenerateManual plugin),
# so they always match the installed binary (bash's also completes the default command,
# Sources/manifestc/Commands/Completion.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-${PREFIX:-$HOME/.local}}
bash scripts/setup.sh
# The Swift runtime and FoundationEssentials linked in (--static-swift-stdlib): the binary
# (about 38 MB; the sources import no other part of Foundation, so neither CoreFoundation nor
# ICU is linked) starts in half the time, needs no Swift toolchain at run time, and plans in
# less memory (scripts/bench-plan.sh, README "Speed").
swift build -c release --product manifestc --static-swift-stdlib
bin=$(swift build -c release --show-bin-path)/manifestc

install -d "$prefix/bin" "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
    "$prefix/share/fish/vendor_completions.d" "$prefix/share/man/man1"
install -m 755 "$bin" "$prefix/bin/manifestc"
"$bin" --generate-completion-script bash > "$prefix/share/bash-completion/completions/manifestc"
"$bin" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_manifestc"
"$bin" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/manifestc.fish"

# The man page: dated by the last commit, so the same sources give the same page; blank
# lines of help texts become mdoc paragraph breaks (scripts/manpage.sed).
date=$(git log -1 --format=%cs 2>/dev/null || echo 1970-01-01)
swift package generate-manual --configuration release --date "$date"
sed -f scripts/manpage.sed .build/plugins/GenerateManual/outputs/manifestc/manifestc.1 > .build/manifestc.1
install -m 644 .build/manifestc.1 "$prefix/share/man/man1/manifestc.1"

echo "installed manifestc $("$prefix/bin/manifestc" --version) in $prefix/bin, completions for bash, zsh and fish, and manifestc(1) in $prefix/share/man"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to PATH (and $prefix/share/man to MANPATH if man does not find it)" ;; esac
