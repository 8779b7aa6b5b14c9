#!/usr/bin/env bash
# Installs the system packages manifestc and its test suite need (Debian), and the one
# Python package from PyPI into the project's own virtual environment, .venv/.
# Works on a fresh Debian (bookworm) that has only the Swift toolchain: no pip, no sudo
# (as root) and whatever python3 comes first on PATH (it is not used: .venv is made by
# Debian's /usr/bin/python3). Safe to run again: what is present is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    # What the Swift toolchain itself needs on Debian 12 (swift.org's list for its bookworm
    # image, less gnupg2 and libpython3-dev): a toolchain unpacked from its tarball into a
    # fresh Debian cannot even start swift-build without libcurl, libedit and libxml2.
    binutils libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libsqlite3-0
    libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev tzdata zlib1g-dev

    libyaml-dev            # the YAML parser manifestc links (CLibYAML)
    pkg-config             # lets SwiftPM find libyaml
    git                    # --build fetches sources; the build tests make local bare repositories
    curl                   # --build downloads the origins libraries fetch (kraft.lock's origins) with it
    make                   # --build runs make (the build tests run it on a fake Unikraft tree)
    gcc                    # --build checks for the target's C compiler before running make
    python3-jsonschema     # the JSON Schema validator the schema tests run
    python3-kconfiglib     # Kconfig oracle for the differential tests
    kconfig-frontends-nox  # Linux's conf, the other Kconfig oracle
    shellcheck             # lints every emitted shell script
    qemu-system-x86        # boots test kernels through emitted launch scripts
    qemu-system-arm        # qemu-system-aarch64: boots the arm64 test kernel (qemu-guest -t arm64v)
    gcc-aarch64-linux-gnu  # builds the arm64 test kernel (Tests/EmittersTests/Fixtures/testkernel)
    qemu-user              # qemu-aarch64: launch.sh runs a foreign-architecture linuxu image through it (LaunchLinuxuTests)
    bsdutils               # script: launch.sh gives a linuxu image a pseudo-terminal when stdin is none
    flex                   # Unikraft's make builds its conf tool with them (real-tree checks, benchmarks)
    bison
    hyperfine              # benchmark scripts
    time                   # /usr/bin/time: peak memory in benchmark scripts
    python3-venv           # /usr/bin/python3 -m venv .venv, with pip inside it (check-jsonschema below)
    ca-certificates        # pip reaches PyPI over TLS (a minimal Debian has no CA certificates)
    bash-completion        # loads the installed bash completion; the completion tests source it
    groff-base             # the man page test renders manifestc.1 with warnings on (groff -mandoc -ww)
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Python packages from PyPI, in .venv (Debian's Python refuses `pip install` outside a
# virtual environment, and a minimal Debian has no pip at all):
#   check-jsonschema: bundles GitHub's workflow and GitLab's CI schemas (Tests/EmittersTests/CIWorkflowTests.swift)
#   spdx-tools: the SPDX project's validator, pyspdxtools, for the bills of materials (Tests/EmittersTests/Hermetic/SPDXDocumentTests.swift)
venv=.venv
if ! "$venv/bin/python3" -c 'import check_jsonschema, spdx_tools' 2>/dev/null; then
    [ -x "$venv/bin/python3" ] || /usr/bin/python3 -m venv "$venv"
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check check-jsonschema spdx-tools
fi
