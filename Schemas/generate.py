#!/usr/bin/env python3
"""Writes the JSON Schemas (draft 2020-12) for Kraftfile / kraft.yaml spec 0.4-0.7.

    python3 Schemas/generate.py          # rewrite Schemas/kraftfile-v0.X.schema.json
    python3 Schemas/generate.py --check  # exit 1 when a committed file is out of date

Each schema describes what `manifestc validate --strict` accepts for its spec version,
applied to the YAML read with YAML 1.1 typing (null, booleans and integers typed; floats
and all other scalars kept as strings). The keys at every level are the lists in
`Sources/Manifest/Decode/ManifestKeys.swift`; `Tests/ManifestTests/SchemaTests.swift`
checks both the keys and the verdicts against the decoder.

Standard library only; the output is deterministic (insertion order, 2-space indent).
"""

import json
import os
import sys

VERSIONS = ["0.4", "0.5", "0.6", "0.7"]
HERE = os.path.dirname(os.path.abspath(__file__))

# Spellings the decoder accepts (Sources/Manifest/Model/Platform.swift), matched
# case-insensitively there, so the patterns spell every letter as [xX].
PLATFORMS = ["qemu", "kvm", "fc", "firecracker", "xen", "linuxu", "kraftcloud"]
ARCHITECTURES = ["x86_64", "arm64", "arm", "amd64", "aarch64"]


def any_case(word):
    out = ""
    for c in word:
        out += "[" + c.lower() + c.upper() + "]" if c.isalpha() else ("\\" + c if c in ".^$*+?()[]{}|\\/" else c)
    return out


def alternatives(words):
    # Longest first, so that a prefix (`arm`) never shadows a longer name (`arm64`).
    return "(?:" + "|".join(any_case(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


PLAT = alternatives(PLATFORMS)
ARCH = alternatives(ARCHITECTURES)
ANY = "[\\s\\S]"  # any character, newlines included (no flags needed)

PLATFORM_NAMES = "'qemu' (or 'kvm'), 'fc' (or 'firecracker'), 'xen', 'linuxu' or 'kraftcloud'"
ARCH_NAMES = "'x86_64', 'arm64' or 'arm' ('amd64' and 'aarch64' are accepted with a warning)"


def ref(name):
    return {"$ref": "#/$defs/" + name}


def described(description, schema=None):
    out = {"description": description}
    out.update(schema or {})
    return out


def with_extensions(properties):
    """An object with exactly these keys, plus `x-*` extension keys."""
    return {
        "properties": properties,
        "patternProperties": {"^x-": ref("extension")},
        "additionalProperties": False,
    }


# MARK: - Shared definitions


def common_defs(version):
    v = version
    defs = {}
    defs["extension"] = {
        "description": "An extension key (`x-…`): allowed anywhere a map has fixed keys, and ignored by manifestc.",
    }
    defs["scalar"] = {
        "description": "A single value (a string; a number or boolean counts as the text written). Not null, a list or a map.",
        "type": ["string", "number", "boolean"],
    }
    defs["text"] = {
        "description": "A single value that is text or a number (written as is). Not null, a boolean, a list or a map.",
        "type": ["string", "number"],
    }
    defs["ignored"] = {
        "description": "Accepted for compatibility and ignored (manifestc never runs host commands named in a manifest); any value.",
    }
    defs["specVersion"] = {
        "description": f"The spec version, {v}: written `v{v}`, `{v}`, `v{v}.0` or `{v}.0`, quoted or not.",
        "anyOf": [
            {"type": "string", "pattern": "^[ \\t]*[vV]?" + v.replace(".", "\\.") + "(?:\\.0)?[ \\t]*$"},
            {"type": "number", "enum": [float(v)]},
        ],
        "examples": [f"v{v}" if version >= "0.6" else v],
    }
    defs["kconfig"] = {
        "description": "Kconfig options: a list of `CONFIG_X=value` items or a map of `CONFIG_X: value` entries. "
                       "A missing `CONFIG_` prefix is added; a list item without `=value` means `=y` (with a warning).",
        "type": ["array", "object", "null"],
        "items": ref("kconfigItem"),
        "propertyNames": ref("kconfigSymbol"),
        "additionalProperties": ref("kconfigValue"),
    }
    defs["kconfigSymbol"] = {
        "description": "A Kconfig symbol name: letters, digits and `_` (surrounding blanks are ignored).",
        "pattern": "^[ \\t]*[A-Za-z0-9_]+[ \\t]*$",
    }
    defs["kconfigItem"] = {
        "description": "`CONFIG_X=value` (split at the first `=`; a value that starts with `\"` must end with `\"`), "
                       "or a bare symbol name meaning `=y`.",
        "anyOf": [
            {"type": "string",
             "pattern": "^[ \\t]*[A-Za-z0-9_]+[ \\t]*(?:$|=(?:$|[^\"]|\"" + ANY + "*\"$))"},
            {"type": "boolean"},
            {"type": "integer", "minimum": 0},
        ],
    }
    defs["kconfigValue"] = {
        "description": "The option's value: `y`/`n` (booleans such as `yes`/`true` count as `y`), a number, or a string; "
                       "a value that starts with `\"` must end with `\"`.",
        "type": ["string", "number", "boolean"],
        "pattern": "^(?:$|[^\"]|\"" + ANY + "*\"$)",
    }
    defs["component"] = {
        "description": "A component: a version (`stable`, a tag, a commit) or a source (a URL, or a path starting with `/`, `./`, `../` or `~`) "
                       "as a shorthand, or a map. Null means the default version. Not a boolean.",
        "type": ["null", "string", "number", "object"],
        **with_extensions({
            "source": described("Where the component comes from: a git URL or a local folder (relative to the manifest's folder). Not a boolean.", ref("text")),
            "version": described("A branch, tag or commit, or the channel `stable` / `staging`. Not null, not a boolean.", ref("text")),
            "kconfig": described("Kconfig options this component sets.", ref("kconfig")),
        }),
    }
    defs["libraries"] = {
        "description": "Libraries by name, in the order they are linked after libc and C++ runtimes. "
                       "Each value is a version, a source, null (the default version) or a map; `true`/`false` are errors.",
        "type": ["object", "null"],
        "propertyNames": {
            "description": "A library name (not an unquoted null such as `~`): one folder name (`libs/lib-<name>`), "
                           "so not `.` or `..`, without `/` or control characters, not starting with `-`, at most 200 bytes.",
            "not": {"enum": ["", "~", "null", "Null", "NULL", ".", ".."]},
            "pattern": "^[^/\\u0000-\\u001f\\u007f-][^/\\u0000-\\u001f\\u007f]*$",
            "maxLength": 200,
        },
        "patternProperties": {"^x-": ref("extension")},
        "additionalProperties": ref("component"),
    }
    defs["namedVolume"] = {
        "description": "A volume keyed by name: the host folder `./<name>` next to the manifest. Null means no settings.",
        "type": ["object", "null"],
        **with_extensions({
            "driver": described("The volume driver, such as `9pfs`.", ref("scalar")),
            "source": described("A tar archive unpacked into the host folder when the folder is missing.", ref("scalar")),
            "workdir": described("Accepted and ignored.", {"type": ["string", "number", "boolean", "null"]}),
            "type": described("Another spelling of `driver`; `driver` wins when both are given.", ref("scalar")),
        }),
    }
    defs["volumeString"] = {
        "description": "`source`, `source:destination` or `source:destination:ro|rw`; no part may be empty. "
                       "Without a destination the folder is mounted at `/`.",
        "pattern": "^[^:]+(?::[^:]+(?::(?:ro|rw))?)?$",
    }
    defs["volume"] = {
        "description": "A volume: a `source[:destination[:ro|rw]]` string, or a map with at least `source` or `driver`.",
        "type": ["string", "number", "boolean", "object"],
        "allOf": [ref("volumeString")],
        **with_extensions({
            "source": described("The host folder to share (relative to the manifest's folder).", ref("scalar")),
            "destination": described("Where the folder appears in the guest.", ref("scalar")),
            "driver": described("The volume driver, such as `9pfs`.", ref("scalar")),
            "readonly": described("Mount read-only.", {"type": "boolean"}),
            "readOnly": described("Another spelling of `readonly`.", {"type": "boolean"}),
            "mode": described("`ro` (read-only) or `rw` (read-write).", {"enum": ["ro", "rw"]}),
        }),
        "anyOf": [{"required": ["source"]}, {"required": ["driver"]}],
    }
    defs["volumes"] = {
        "description": "Host folders shared with the guest: a map keyed by volume name (the 0.4/0.5 form), "
                       "a list of `source[:destination[:ro|rw]]` strings or maps (the 0.6/0.7 form), or one such string.",
        "type": ["object", "array", "string", "number", "boolean", "null"],
        "allOf": [ref("volumeString")],
        "patternProperties": {"^x-": ref("extension")},
        "additionalProperties": ref("namedVolume"),
        "items": ref("volume"),
    }
    network_keys = {
        "name": "The network's name (in the list form).",
        "driver": "The network driver, such as `bridge`.",
        "type": "The network type.",
        "ip": "The guest's IP address.",
        "gateway": "The gateway's IP address.",
        "netmask": "The network mask.",
        "mac": "The guest's MAC address.",
        "bridge": "The host bridge to attach to.",
        "bridge_name": "The host bridge to attach to (spec 0.4 spelling).",
        "interface": "The host interface.",
        "before": "Accepted; host commands are never run.",
        "after": "Accepted; host commands are never run.",
        "pre_up": "Accepted; host commands are never run.",
        "post_down": "Accepted; host commands are never run.",
    }
    defs["network"] = {
        "description": "A network's settings; every value is a single scalar.",
        "type": ["object", "null"],
        **with_extensions({k: described(d, ref("scalar")) for k, d in network_keys.items()}),
    }
    defs["networks"] = {
        "description": "Networks: a map keyed by network name (a value of `true` or null means no settings, `false` leaves the network out), "
                       "or a list of settings maps.",
        "type": ["object", "array", "null"],
        "patternProperties": {"^x-": ref("extension")},
        "additionalProperties": {
            "description": "The network's settings, or `true`/`false` to enable or leave out the network.",
            "anyOf": [{"type": "boolean"}, ref("network")],
        },
        "items": {
            "description": "One network's settings (`name` names it).",
            "type": ["object", "null"],
            "allOf": [ref("network")],
        },
    }
    defs["command"] = {
        "description": "The command line: a list of words (argv), or a string split into words like a POSIX shell does "
                       "(quotes must be closed; no expansion). The first `--` separates kernel parameters from application arguments.",
        "type": ["string", "number", "boolean", "array"],
        "pattern": "^(?:[^'\"\\\\]|\\\\(?:" + ANY + "|$)|'[^']*'|\"(?:[^\"\\\\]|\\\\" + ANY + ")*\")*$",
        "items": ref("scalar"),
    }
    return defs


def defs_06_plus(version):
    defs = {}
    template_scalar = ("a source (a URL or a path)" if version == "0.7"
                       else "a version, or a source when it is a URL or a path starting with `/`, `./`, `../` or `~`")
    defs["template"] = {
        "description": f"An application template whose manifest this one is laid over: {template_scalar}, or a map. Not a boolean.",
        "type": ["null", "string", "number", "object"],
        **with_extensions({
            "source": described("Where the template comes from: a git URL or a local folder. Not a boolean.", ref("text")),
            "version": described("A branch, tag or commit of the template, or `stable` / `staging`. Not null, not a boolean.", ref("text")),
        }),
    }
    env_name = "[A-Za-z_][A-Za-z0-9_]*"
    defs["env"] = {
        "description": "Environment variables for the application: a map `NAME: value` or a list of `NAME=value` / `NAME` items. "
                       "Names are letters, digits and `_`, not starting with a digit.",
        "type": ["object", "array", "null"],
        "propertyNames": {"description": "A variable name.", "pattern": "^" + env_name + "$"},
        "additionalProperties": {
            "description": "The variable's value (null: the variable is set without a value).",
            "type": ["string", "number", "boolean", "null"],
        },
        "items": {
            "description": "`NAME=value`, or `NAME` alone.",
            "type": ["string", "boolean"],
            "pattern": "^" + env_name + "(?:=|$)",
        },
    }
    defs["labels"] = {
        "description": "Labels: a map from label name to a single value.",
        "type": ["object", "null"],
        "additionalProperties": ref("scalar"),
    }
    defs["rootfsSource"] = {
        "description": "The root filesystem's source: a path, or a map with `path` or `dockerfile`.",
        "type": ["string", "number", "boolean", "object"],
        **with_extensions({
            "type": described("What the source is, such as `dir`, `dockerfile`, `oci`, `tarball`, `cpio` or `erofs`.", ref("scalar")),
            "path": described("The folder, archive or image to build from.", ref("scalar")),
            "dockerfile": described("The Dockerfile to build from (used when `path` is not given before it).", ref("scalar")),
        }),
        "anyOf": [{"required": ["path"]}, {"required": ["dockerfile"]}],
    }
    defs["rootfs"] = {
        "description": "The root filesystem: a path (a folder, an archive, a cpio image or a Dockerfile), "
                       "or a map `{source, format}`.",
        "type": ["string", "number", "boolean", "object"],
        **with_extensions({
            "source": described("A path, or a map `{type, path, dockerfile}`.", ref("rootfsSource")),
            "format": described("The image format, such as `cpio` or `erofs`.", ref("scalar")),
        }),
        "required": ["source"],
    }
    return defs


def target_defs(version):
    """Targets in 0.5 and later: `plat/arch` strings (0.6+) or maps."""
    plat_arch = "^" + PLAT + "/" + ARCH + "$"
    defs = {}
    defs["platform"] = {
        "description": f"The platform: {PLATFORM_NAMES}, in any letter case. "
                       "`platform/architecture` (such as `qemu/x86_64`) also names the architecture when the target has none.",
        "type": "string",
        "pattern": "^" + PLAT + "(?:/" + ANY + "*)?$",
    }
    defs["architecture"] = {
        "description": f"The architecture: {ARCH_NAMES}, in any letter case.",
        "type": "string",
        "pattern": "^" + ARCH + "$",
    }
    defs["targetString"] = {
        "description": f"`platform/architecture`, such as `qemu/x86_64` or `fc/arm64`. Platforms: {PLATFORM_NAMES}; architectures: {ARCH_NAMES}.",
        "type": "string",
        "pattern": plat_arch,
    }
    if version == "0.5":
        properties = {
            "name": described("The target's name (it selects the target; it also names the image).", ref("scalar")),
            "architecture": described("The architecture.", ref("architecture")),
            "platform": described("The platform.", ref("platform")),
            "kconfig": described("Kconfig options for this target only.", ref("kconfig")),
        }
        rules = [
            {"required": ["platform"]},
            {"anyOf": [
                {"required": ["architecture"]},
                {"required": ["platform"], "properties": {"platform": {"pattern": plat_arch}}},
            ]},
            {"if": {"required": ["platform"], "properties": {"platform": {"pattern": "/"}}},
             "then": {"not": {"required": ["architecture"]}}},
        ]
    else:
        properties = {
            "name": described("The target's name (it names the image).", ref("scalar")),
            "kernel": described("Another spelling of `name`; give only one of the two.", ref("scalar")),
            "architecture": described("The architecture.", ref("architecture")),
            "arch": described("Short for `architecture`; give only one of the two.", ref("architecture")),
            "platform": described("The platform.", ref("platform")),
            "plat": described("Short for `platform`; give only one of the two.", ref("platform")),
            "kconfig": described("Kconfig options for this target only.", ref("kconfig")),
        }
        rules = [
            {"not": {"required": ["name", "kernel"]}},
            {"not": {"required": ["platform", "plat"]}},
            {"not": {"required": ["architecture", "arch"]}},
            {"anyOf": [{"required": ["platform"]}, {"required": ["plat"]}]},
            {"anyOf": [
                {"required": ["architecture"]},
                {"required": ["arch"]},
                {"required": ["platform"], "properties": {"platform": {"pattern": plat_arch}}},
                {"required": ["plat"], "properties": {"plat": {"pattern": plat_arch}}},
            ]},
            # `platform: qemu/x86_64` names the architecture: then no architecture key.
            {"if": {"anyOf": [{"required": ["platform"], "properties": {"platform": {"pattern": "/"}}},
                              {"required": ["plat"], "properties": {"plat": {"pattern": "/"}}}]},
             "then": {"not": {"anyOf": [{"required": ["architecture"]}, {"required": ["arch"]}]}}},
        ]
    defs["targetMap"] = {
        "description": "A target as a map: a platform and an architecture (or `platform: plat/arch`), optionally a name and kconfig.",
        "type": "object",
        **with_extensions(properties),
        "allOf": rules,
    }
    target = {
        "description": "A target: `platform/architecture`, or a map with `platform` and `architecture`.",
        "if": {"type": "string"},
        "then": ref("targetString"),
        "else": ref("targetMap"),
    }
    defs["targets"] = {
        "description": "What to build: one kernel per platform and architecture pair.",
        "type": ["array", "null"],
        "items": target,
    }
    return defs


def defs_04():
    defs = {}

    def product_map(section, entry, names, what):
        return {
            "description": f"Spec 0.4 {section}: a map from {what} name ({names}) to its settings. "
                           f"Targets are every enabled platform with every enabled architecture. "
                           f"`false` leaves an entry out (any name may be disabled); `true`, null, a scalar or a map enables it.",
            "type": ["object", "null"],
            "patternProperties": {"^" + (ARCH if section == "architectures" else PLAT) + "$": ref(entry), "^x-": ref("extension")},
            "additionalProperties": {
                "description": f"Not a known {what} name: only `false` (left out) is allowed.",
                "type": "boolean",
                "const": False,
            },
        }

    defs["architectures"] = product_map("architectures", "architectureEntry", ARCH_NAMES, "architecture")
    defs["platforms"] = product_map("platforms", "platformEntry", PLATFORM_NAMES, "platform")
    defs["architectureEntry"] = {
        "description": "An architecture: `false` to leave it out; `true`, null, a scalar or a map to enable it. Only a map's `kconfig` is used.",
        "type": ["object", "boolean", "string", "number", "null"],
        **with_extensions({
            "kconfig": described("Kconfig options for the targets of this architecture.", ref("kconfig")),
            "source": described("Accepted and ignored (built-in architectures need no source).", {}),
            "version": described("Accepted and ignored.", {}),
        }),
    }
    defs["platformEntry"] = {
        "description": "A platform: `false` to leave it out; `true`, null, a scalar or a map to enable it. Only a map's `kconfig` is used.",
        "type": ["object", "boolean", "string", "number", "null"],
        **with_extensions({
            "kconfig": described("Kconfig options for the targets of this platform.", ref("kconfig")),
            "source": described("Accepted and ignored (built-in platforms need no source).", {}),
            "version": described("Accepted and ignored.", {}),
            "pre_up": described("Accepted and ignored; host commands are never run.", {}),
            "post_down": described("Accepted and ignored; host commands are never run.", {}),
            "cpus": described("Accepted and ignored.", {}),
            "memory": described("Accepted and ignored.", {}),
            "run": described("Accepted and ignored.", {}),
        }),
    }
    defs["run"] = {
        "description": "Spec 0.4 run settings: `arguments` becomes the command line; `volumes` and `networks` are read as in spec 0.5.",
        "type": ["object", "null"],
        **with_extensions({
            "arguments": described("The application's command line.", ref("command")),
            "pre_up": described("Host commands before the run: accepted and ignored.", ref("ignored")),
            "post_down": described("Host commands after the run: accepted and ignored.", ref("ignored")),
            "networks": described("Networks.", ref("networks")),
            "volumes": described("Volumes.", ref("volumes")),
        }),
    }
    return defs


# MARK: - Top level


def top_level(version):
    spec_key = described(f"The spec version this manifest follows: `{'v' + version if version >= '0.6' else version}`. "
                         "When no version key is given, manifestc warns and reads the version the keys suggest.", ref("specVersion"))
    name = described("The application's name. Images are named after the target's name, else this, else the folder, "
                     "normalized to lower case `[a-z0-9_-]` (with a warning when that changes it).", ref("scalar"))
    unikraft = described("The Unikraft core: a version (`stable`, a tag, a commit), a source (a URL or a path), "
                         "null for the default, or `{source, version, kconfig}`.", ref("component"))
    libraries = described("Libraries by name (`musl: stable`, `lwip: {version, source, kconfig}`, `newlib: ~`); "
                          "libc and C++ runtimes are linked first, the others in this order.", ref("libraries"))
    volumes = described("Host folders shared with the guest (over 9p, tags `fs0`, `fs1`, … in this order): "
                        "a list of `source[:destination[:ro|rw]]` strings or `{source, destination, driver, readonly}` maps, "
                        "one such string, or a map keyed by volume name (`guest_fs: {driver: 9pfs}`).", ref("volumes"))
    networks = described("Networks: a map keyed by network name, or a list of settings maps.", ref("networks"))
    command = ("The command line: a list of words, or a string split like a POSIX shell (no expansion). "
               "The first `--` separates kernel parameters from application arguments.")
    p = {}
    if version == "0.4":
        p["specification"] = spec_key
        p["name"] = name
        p["unikraft"] = unikraft
        p["architectures"] = described("Architectures to build for, by name (`x86_64`, `arm64`, `arm`): "
                                       "`true`/null/a map to enable, `false` to leave out.", ref("architectures"))
        p["platforms"] = described("Platforms to build for, by name (`kvm`, `xen`, `linuxu`, …): "
                                   "`true`/null/a map to enable, `false` to leave out. "
                                   "Targets are every enabled platform with every enabled architecture.", ref("platforms"))
        p["libraries"] = libraries
        p["run"] = described("Run settings: `arguments` (the command line), `volumes`, `networks`.", ref("run"))
    elif version == "0.5":
        p["specification"] = spec_key
        p["name"] = name
        p["unikraft"] = unikraft
        p["targets"] = described("What to build: a list of `{platform, architecture, name?, kconfig?}` maps "
                                 "(or `platform/architecture` strings).", ref("targets"))
        p["libraries"] = libraries
        p["volumes"] = volumes
        p["networks"] = networks
        p["arguments"] = described(command, ref("command"))
        for key in ["pre_up", "post_down", "before", "after"]:
            p[key] = described(f"Host commands ({key}): accepted and ignored; manifestc never runs them.", ref("ignored"))
    else:
        p["spec"] = spec_key
        p["specification"] = described("Another spelling of `spec`; when both are given they must agree.", ref("specVersion"))
        p["name"] = name
        p["outdir"] = described("The output folder for the generated setup.", ref("scalar"))
        p["unikraft"] = unikraft
        p["libraries"] = libraries
        p["targets"] = described("What to build: `platform/architecture` strings (`qemu/x86_64`, `fc/arm64`) "
                                 "or `{platform, architecture, name, kconfig}` maps.", ref("targets"))
        template = ("a source (URL or path)" if version == "0.7" else "a version, or a source when it is a URL or a path")
        p["template"] = described(f"An application template this manifest is laid over: {template}, or `{{source, version}}`.", ref("template"))
        p["runtime"] = described("A prebuilt kernel or OCI reference, such as `base:latest`, `oci://…` or `kernel://…`.", ref("scalar"))
        p["rootfs"] = described("The root filesystem: a folder, archive, cpio image or Dockerfile path, "
                                "or `{source: path | {type, path, dockerfile}, format}`.", ref("rootfs"))
        if version == "0.7":
            p["roms"] = {
                "description": "Extra read-only images, each written like `rootfs`.",
                "type": ["array", "null"],
                "items": ref("rootfs"),
            }
        p["cmd"] = described(command, ref("command"))
        p["env"] = described("Environment variables: a map `NAME: value`, or a list of `NAME=value` / `NAME` items.", ref("env"))
        p["labels"] = described("Labels: a map from label name to a single value.", ref("labels"))
        p["volumes"] = volumes
        p["networks"] = networks
    return p


def manifestc_extension():
    return {
        "description": "manifestc's own settings, which no spec version can say (other tools ignore `x-` keys).",
        "type": "object",
        **with_extensions({
            "memory": described("The guest's memory in MiB (default 64).", {"type": "integer", "minimum": 1}),
            "vcpus": described("The guest's vCPU count (default 1).", {"type": "integer", "minimum": 1}),
            "library-order": described(
                "The exact `L=` order: every library of the manifest, once. Without it, KraftKit's rule: libcxxabi, "
                "libcxx, libunwind, compiler-rt, libgo, musl, newlib, pthread-embedded, then the others by folder path.",
                {"type": "array", "items": ref("scalar")}),
            "app": described("make's application folder (`A=`: its Config.uk and Makefile.uk) when it is not the "
                             "manifest's folder; its own manifest is not read.", ref("scalar")),
        }),
    }


def top_level_object(version):
    out = with_extensions(top_level(version))
    out["patternProperties"] = {"^x-manifestc$": ref("manifestcExtension"), **out["patternProperties"]}
    return out


def schema(version):
    defs = common_defs(version)
    if version == "0.4":
        defs.update(defs_04())
    else:
        defs.update(target_defs(version))
    if version >= "0.6":
        defs.update(defs_06_plus(version))
    file_name = f"kraftfile-v{version}.schema.json"
    key = "spec" if version >= "0.6" else "specification"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:manifestc:schema:kraftfile-v{version}",
        "title": f"Unikraft application manifest (Kraftfile / kraft.yaml), spec v{version}",
        "description": f"What `manifestc validate --strict` accepts for a manifest with `{key}: "
                       f"{'v' + version if version >= '0.6' else repr(version)}`. "
                       "Keys starting with `x-` are allowed in any map with fixed keys. "
                       "Not visible to a schema: `${VAR}` interpolation and duplicate keys. "
                       f"Generated by Schemas/generate.py; edit that, not {file_name}.",
        "type": "object",
        **top_level_object(version),
        "$defs": {**defs, "manifestcExtension": manifestc_extension()},
    }


def render(version):
    return json.dumps(schema(version), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv[1:]
    stale = []
    for version in VERSIONS:
        path = os.path.join(HERE, f"kraftfile-v{version}.schema.json")
        text = render(version)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        if check:
            stale.append(os.path.basename(path))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", os.path.relpath(path))
    if stale:
        print("out of date (run python3 Schemas/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
