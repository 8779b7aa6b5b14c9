#!/usr/bin/env bash
# Installs the system packages manifestc and its test suite need (Debian).
# Safe to run again: packages already present are left as they are.
set -euo pipefail

packages=(
    libyaml-dev            # the YAML parser manifestc links (CLibYAML)
    pkg-config             # lets SwiftPM find libyaml
    git                    # --build fetches sources; the build tests make local bare repositories
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

# Python packages from PyPI, for the first python3 on PATH (which need not be Debian's
# /usr/bin/python3: the python3-* packages above are for Debian's own Python).
#   check-jsonschema: bundles GitHub's workflow and GitLab's CI schemas (Tests/EmittersTests/CIWorkflowTests.swift)
if ! python3 -c 'import check_jsonschema' 2>/dev/null; then
    python3 -m pip install --user --quiet check-jsonschema \
        || python3 -m pip install --user --quiet --break-system-packages check-jsonschema
fi
