#!/usr/bin/env bash
# Largest input: generates manifests just under the default input limit (64 MiB) in four
# shapes and prints the wall time and peak memory of `validate` and of compiling them
# (`--emit all`), release build. The goal: each under 2 s. Rejected input (exit 1: a count
# limit) is a result; a crash or a kill is not.
# Usage: scripts/bench-input.sh [MiB] (default 63.9)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-63.9}
swift build -c release --product manifestc >/dev/null
bin=$PWD/.build/release/manifestc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$size_mib" <<'PY'
import sys
folder, size = sys.argv[1], int(float(sys.argv[2]) * (1 << 20))
head = "spec: v0.6\nname: big\ntargets:\n  - qemu/x86_64\n  - fc/arm64\n"
def fill(name, first, line):
    out, total, i = [head + first], len(head) + len(first), 0
    while True:
        text = line(i)
        if total + len(text) > size: break
        out.append(text); total += len(text); i += 1
    open(f"{folder}/{name}.yaml", "w").write("".join(out))
# Many libraries, each with a kconfig map (libraries and kconfig-options limits apply).
fill("libraries", "libraries:\n", lambda i: f"  lib{i}:\n    source: https://github.com/unikraft/lib-example.git\n    version: 'v{i}.0'\n    kconfig:\n"
     + "".join(f"      CONFIG_LIB{i}_OPTION_{j}: {j}\n" for j in range(20)))
# One map of a million short entries (an environment).
fill("env", "env:\n", lambda i: f"  VARIABLE_{i}: value-{i}-{'x' * 20}\n")
# Values at the scalar limit (1 MiB), in extension keys.
fill("scalars", "", lambda i: f"x-blob-{i}: {'y' * ((1 << 20) - 64)}\n")
# Comments only.
fill("comments", "", lambda i: f"# {'comment ' * 12}{i}\n")
PY

# Wall time depends on the machine's load; CPU time (user + system) is printed next to it.
printf '%-10s %6s %16s %16s %8s %s\n' shape MiB "validate s (cpu)" "emit s (cpu)" "peak MB" "exit (validate/emit)"
for shape in libraries env scalars comments; do
    file=$tmp/$shape.yaml
    out=$tmp/out-$shape
    read -r vs vcpu vkb < <({ /usr/bin/time -f '%e %U %S %M' "$bin" validate "$file" >/dev/null 2>"$tmp/verr" || true
        tail -n 1 "$tmp/verr" | awk '{ print $1, $2 + $3, $4 }'; })
    vstatus=$("$bin" validate "$file" >/dev/null 2>&1; echo $?)
    read -r es ecpu ekb < <({ /usr/bin/time -f '%e %U %S %M' "$bin" "$file" --emit all -o "$out" --force >/dev/null 2>"$tmp/eerr" || true
        tail -n 1 "$tmp/eerr" | awk '{ print $1, $2 + $3, $4 }'; })
    estatus=$("$bin" "$file" --emit all -o "$out" --force >/dev/null 2>&1; echo $?)
    peak=$(( vkb > ekb ? vkb : ekb ))
    printf '%-10s %6.1f %16s %16s %8.1f %s\n' "$shape" "$(awk -v b="$(stat -c %s "$file")" 'BEGIN { print b / 1048576 }')" "$vs ($vcpu)" "$es ($ecpu)" \
        "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" "$vstatus/$estatus"
done
