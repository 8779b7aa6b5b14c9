import Manifest
import Diagnostics
import Kconfig

/// A Unikraft source tree and the inputs of its configure step (`make -C <base> A= L= P= E= O= C= N=`).
///
/// It builds what conf sees: the environment of §2 of the reference (version, paths,
/// host arch, `KCONFIG_*`) and the answers to the tree's `$(shell,…)` calls, including
/// the generated submenu files (`plats.uk`, `libs.uk`, `app.uk`, `drivers-*.uk`; and
/// 0.13's `plat.uk`/`libs.uk` from `uk_build_configure.sh`), produced natively.
public struct UnikraftTree: Sendable {
    /// The Unikraft tree (`-C`), absolute, symlinks resolved.
    public var base: String
    /// External library folders (`L=`), absolute, in order.
    public var libraries: [String]
    /// External platform folders (`P=`), absolute, in order.
    public var platforms: [String]
    /// Folders to exclude (`E=`), absolute.
    public var excludes: [String]
    /// The application folder (`A=`); `nil` means the Unikraft tree itself (`NO_APP`).
    public var app: String?
    /// The build folder (`O=`); `<app>/build` when `nil`.
    public var buildDirectory: String?
    /// The configuration file (`C=`); `<app>/.config` when `nil`.
    public var configFile: String?
    /// The image name (`N=`); the app folder's name when `nil`.
    public var name: String?
    /// The host architecture as a triple's first field (`x86_64`, `aarch64`, …); normalised like Unikraft does.
    public var hostArch: String
    /// The target architecture (`ARCH=`), when given on the command line.
    public var arch: String?
    /// The full commit id of the tree's `HEAD`, when it is a git checkout.
    public var gitRevision: String?
    /// Whether the checkout has modified tracked files (adds `-custom` to the version).
    public var gitModified: Bool
    /// How many characters `git rev-parse --short` prints for this repository.
    public var shortRevisionLength: Int

    /// A tree and its configure inputs; the defaults are Unikraft's (`A` = the tree, `O` = `<A>/build`).
    public init(
        base: String, libraries: [String] = [], platforms: [String] = [], excludes: [String] = [],
        app: String? = nil, buildDirectory: String? = nil, configFile: String? = nil, name: String? = nil,
        hostArch: String = "x86_64", arch: String? = nil,
        gitRevision: String? = nil, gitModified: Bool = false, shortRevisionLength: Int = 8
    ) {
        self.base = base
        self.libraries = libraries
        self.platforms = platforms
        self.excludes = excludes
        self.app = app
        self.buildDirectory = buildDirectory
        self.configFile = configFile
        self.name = name
        self.hostArch = hostArch
        self.arch = arch
        self.gitRevision = gitRevision
        self.gitModified = gitModified
        self.shortRevisionLength = shortRevisionLength
    }

    /// Unikraft's normalisation of an architecture name (`i.86`→`x86`, `aarch64*`/`arm64*`→`arm64`, `arm*`→`arm`).
    public static func normalizeArch(_ raw: String) -> String {
        var a = String(raw.prefix { $0 != "-" })
        if a.count == 4, a.hasPrefix("i"), a.hasSuffix("86") { a = "x86" }
        if a.hasPrefix("arm64") || a.hasPrefix("aarch64") { return "arm64" }
        if a.hasPrefix("arm") || a == "sa110" { return "arm" }
        if a == "sun4u" { return "sparc64" }
        if a.hasPrefix("ppc64") { return "powerpc64" }
        if a.hasPrefix("ppc") || a == "macppc" { return "powerpc" }
        if a.hasPrefix("sh") { return "sh" }
        return a
    }

    var appDirectory: String { app ?? base }
    var outputDirectory: String { buildDirectory ?? appDirectory + "/build" }

    /// The version string from `version.mk` plus `~<short sha>` (and `-custom`).
    public func fullVersion(fileSystem: any KconfigFileSystem) -> (version: String, codename: String, diagnostics: [Diagnostic]) {
        let path = base + "/version.mk"
        guard let bytes = fileSystem.contents(of: path) else {
            return ("", "", [.error("unikraft-version", "cannot read '\(path)'; is '\(base)' a Unikraft tree?", at: nil)])
        }
        var vars: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !line.hasPrefix("#") else { continue }
            let key = parts[0].trimmingCharacters(in: " \t:?")
            vars[key] = parts[1].trimmingCharacters(in: " \t")
        }
        var version = "\(vars["UK_VERSION"] ?? "").\(vars["UK_SUBVERSION"] ?? "")"
        if let extra = vars["UK_EXTRAVERSION"], !extra.isEmpty { version += ".\(extra)" }
        if let rev = gitRevision, !rev.isEmpty {
            version += "~" + rev.prefix(shortRevisionLength) + (gitModified ? "-custom" : "")
        }
        return (version, vars["UK_CODENAME"] ?? "", [])
    }

    /// The environment the tree's own `Makefile` gives conf (its `COMMON_CONFIG_ENV` and exported
    /// variables, evaluated for this configure call; the newest layout's when the tree has no such
    /// Makefile), and the variables it gives conf whose value manifestc cannot compute.
    public func environment(fileSystem: any KconfigFileSystem)
        -> (environment: [String: String], gaps: KconfigEnvironmentGaps, diagnostics: [Diagnostic]) {
        let (version, codename, diagnostics) = fullVersion(fileSystem: fileSystem)
        let makefilePath = base + "/Makefile"
        let makefile = fileSystem.contents(of: makefilePath).flatMap { UnikraftMakefile(text: String(decoding: $0, as: UTF8.self)) }
            ?? UnikraftMakefile.newestLayout
        let (env, unknown) = makefile.environment(inputs: makeInputs(version: version, codename: codename, makefile: makefile, fileSystem: fileSystem))
        return (env, KconfigEnvironmentGaps(makefile: makefilePath, unknown: unknown), diagnostics)
    }

    /// What make computes for a configure call by means other than plain assignments (the command
    /// line, `$(realpath …)`, `$(shell …)`, `$(foreach …)`): the Makefile's assignments to these
    /// names are not re-evaluated.
    func makeInputs(version: String, codename: String, makefile: UnikraftMakefile, fileSystem: any KconfigFileSystem) -> [String: String] {
        let host = Self.normalizeArch(hostArch)
        let config = configFile ?? appDirectory + "/.config"
        let imageName = name ?? lastComponent(appDirectory)
        var inputs = [
            "CONFIG_UK_BASE": base, "CONFIG_UK_APP": appDirectory, "A": appDirectory,
            "BUILD_DIR": outputDirectory, "O": outputDirectory, "UK_CONFIG": config, "C": config,
            "L": libraries.joined(separator: ":"), "P": platforms.joined(separator: ":"), "E": excludes.joined(separator: ":"),
            "ELIB_DIR": libraries.joined(separator: " "), "EPLAT_DIR": platforms.joined(separator: " "),
            "KCONFIG_EXCLUDEDIRS": excludes.map { ":" + $0 }.joined(),
            "CONFIG_UK_NAME": imageName, "N": imageName,
            "UK_FULLVERSION": version, "UK_CODENAME": codename,
            "HOSTARCH": host, "CONFIG_UK_ARCH": Self.normalizeArch(arch ?? host), "ARCH": Self.normalizeArch(arch ?? host),
            "CC": "gcc",
        ]
        // 0.13's lists, as its Makefile builds them with `find` (listed only for a Makefile that names them).
        if makefile.mentions("KCONFIG_DEF_PLATS") {
            inputs["KCONFIG_DEF_PLATS"] = sortedSubdirectories(of: base + "/plat/", fileSystem: fileSystem)
                .filter { !$0.hasSuffix("/common") && !$0.hasSuffix("/drivers") }.joined(separator: " ")
        }
        if makefile.mentions("KCONFIG_LIB_DIR") {
            inputs["KCONFIG_LIB_DIR"] = (sortedSubdirectories(of: base + "/lib/", fileSystem: fileSystem) + [base + "/lib"] + libraries)
                .joined(separator: " ")
        }
        return inputs
    }

    private func sortedSubdirectories(of dir: String, fileSystem: any KconfigFileSystem) -> [String] {
        let trimmed = dir.hasSuffix("/") ? dir : dir + "/"
        return fileSystem.entries(of: String(trimmed.dropLast()))
            .filter { !$0.hasPrefix(".") }
            .sorted(by: UnikraftShellResolver.globOrder)
            .map { trimmed + "/" + $0 }
            .filter { fileSystem.isDirectory($0) }
    }

    private func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Answers the tree's `$(shell,…)` calls.
    public var shellResolver: UnikraftShellResolver {
        UnikraftShellResolver(base: base, hostArch: hostArch, buildDirectory: outputDirectory)
    }

    /// Loads the tree, evaluates `seed` and writes the `.config` text, as `make defconfig` does.
    public func plan(seed: [KconfigAssignment], fileSystem: any KconfigFileSystem)
        -> (config: String, configuration: KconfigConfiguration, diagnostics: [Diagnostic]) {
        let (tree, loadDiagnostics) = load(fileSystem: fileSystem)
        let (configuration, evalDiagnostics) = tree.evaluate(seed: seed)
        return (ConfigWriter.write(configuration), configuration, loadDiagnostics + evalDiagnostics)
    }

    /// Starts reading the Kconfig tree `load` would find in `cache` (it decodes on another thread
    /// meanwhile); the git facts and the libraries play no part in which one that is.
    public func prefetch(cache: KconfigTreeCache?) {
        KconfigTree.prefetch(root: base + "/Config.uk", sourceTree: base, shell: shellResolver, cache: cache)
    }

    /// Loads `<base>/Config.uk` with this tree's environment and generated files (from `cache`
    /// when it holds a tree loaded from the same inputs).
    public func load(fileSystem: any KconfigFileSystem, cache: KconfigTreeCache? = nil) -> (tree: KconfigTree, diagnostics: [Diagnostic]) {
        // A cached tree decodes while the Makefile gives the environment that checks it.
        prefetch(cache: cache)
        let (env, gaps, envDiagnostics) = environment(fileSystem: fileSystem)
        let (tree, diagnostics) = KconfigTree.load(root: base + "/Config.uk", sourceTree: base, fileSystem: fileSystem,
                                                   environment: env, environmentGaps: gaps, shell: shellResolver, cache: cache)
        return (tree, envDiagnostics + diagnostics)
    }
}

/// Native answers to the `$(shell,…)` calls in Unikraft's `Config.uk` files.
public struct UnikraftShellResolver: KconfigShellResolver {
    /// The Unikraft tree (`UK_BASE`).
    public var base: String
    /// The host architecture as `gcc -dumpmachine` starts (for 0.13's arch default).
    public var hostArch: String
    /// `BUILD_DIR`, where 0.13's script writes `app.uk` when there is no application.
    public var buildDirectory: String?

    /// A resolver for the tree at `base`.
    public init(base: String, hostArch: String, buildDirectory: String? = nil) {
        self.base = base
        self.hostArch = hostArch
        self.buildDirectory = buildDirectory
    }

    /// The settings the answers depend on (besides the file system, which the cache checks itself).
    public var cacheKey: String? {
        // Paths hold no NUL, so the parts cannot run into each other.
        ["unikraft", base, hostArch, buildDirectory.map { "O=" + $0 } ?? "none"].joined(separator: "\u{0}")
    }

    /// Bash's glob order for the names Unikraft uses (C collation).
    static func globOrder(_ a: String, _ b: String) -> Bool {
        Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
    }

    /// Answers `config-submenu.sh`, `uk_build_configure.sh`, `test A = B && echo y || echo n` and
    /// `<cc> -dumpmachine | cut -d '-' -f1`; `nil` for anything else.
    public func run(_ command: String, fileSystem: inout InMemoryKconfigFileSystem) -> String? {
        guard case .success(let words) = ShellWords.split(command), let first = words.first else { return nil }
        if first.hasSuffix("/support/build/config-submenu.sh") {
            return configSubmenu(Array(words.dropFirst()), fileSystem: &fileSystem)
        }
        if first.hasSuffix("/support/scripts/uk_build_configure.sh") {
            return ukBuildConfigure(Array(words.dropFirst()), fileSystem: &fileSystem)
        }
        if first == "test", let and = words.firstIndex(of: "&&") {
            let args = Array(words[1..<and])
            let holds = args.count == 3 && args[1] == "=" && args[0] == args[2]
            let rest = Array(words[(and + 1)...])
            guard let or = rest.firstIndex(of: "||"), rest.first == "echo", rest[or + 1] == "echo" else { return nil }
            return (holds ? rest[1..<or] : rest[(or + 2)...]).joined(separator: " ") + "\n"
        }
        if words.count == 7, words[1] == "-dumpmachine", words[2] == "|", words[3] == "cut", words[4] == "-d", words[5] == "-", words[6] == "-f1" {
            return String(hostArch.prefix { $0 != "-" }) + "\n"
        }
        return nil
    }

    /// `support/build/config-submenu.sh` (0.14 and later), reproduced.
    func configSubmenu(_ args: [String], fileSystem fs: inout InMemoryKconfigFileSystem) -> String? {
        var out: String?
        var paths: [String] = []
        var excludes: [String] = []
        var title: String?
        var i = 0
        func stripSlash(_ p: String) -> String { p.hasSuffix("/") ? String(p.dropLast()) : p }
        while i < args.count, args[i].hasPrefix("-"), args[i] != "-", args[i] != "--" {
            let opt = args[i]
            var value: String?
            if ["-t", "-l", "-r", "-c", "-e", "-o"].contains(String(opt.prefix(2))) {
                if opt.count > 2 { value = String(opt.dropFirst(2)) } else {
                    i += 1
                    guard i < args.count else { return nil }
                    value = args[i]
                }
            }
            switch opt.prefix(2) {
            case "-q", "-h": break
            case "-t": title = value
            case "-l": paths.append(stripSlash(value!))
            case "-r":
                if let dir = value, !dir.isEmpty {
                    let d = stripSlash(dir)
                    for name in fs.entries(of: d).filter({ !$0.hasPrefix(".") }).sorted(by: Self.globOrder) {
                        let p = d + "/" + name
                        if fs.isDirectory(p) { paths.append(p) }
                    }
                }
            case "-c":
                for p in value!.split(separator: ":") where !p.isEmpty { paths.append(stripSlash(String(p))) }
            case "-e":
                for p in value!.split(separator: ":") where !p.isEmpty { excludes.append(stripSlash(String(p))) }
            case "-o": out = value
            default: return nil
            }
            i += 1
        }
        if i < args.count && args[i] == "--" { i += 1 }
        paths += args[i...]
        var text = out != nil ? "# Auto generated file. DO NOT EDIT\n" : ""
        var libs: [String] = []
        for p in paths {
            guard fs.isFile(p + "/Config.uk") else { continue }
            if excludes.contains(p) {
                text += "# Skipped excluded \"\(p)\"\n"
                continue
            }
            libs.append(p)
        }
        if let title { text += "menu \"\(title)\"\n" }
        for l in libs { text += "source \"\(fs.resolve(l + "/Config.uk"))\"\n" }
        if title != nil { text += "endmenu\n" }
        guard let out else { return text }
        let path = normalizePath(fs.resolve(out))
        fs.write(path, text)
        return path + "\n"
    }

    /// 0.13's `support/scripts/uk_build_configure.sh`, reproduced.
    func ukBuildConfigure(_ args: [String], fileSystem fs: inout InMemoryKconfigFileSystem) -> String? {
        var files: [String] = []
        var out: String?
        var i = 0
        while i + 1 < args.count {
            let opt = args[i], value = args[i + 1]
            switch opt {
            case "-a":
                if base != value {
                    let file = value.hasSuffix("/") ? value + "Config.uk" : value + "/Config.uk"
                    return fs.isFile(file) ? file + "\n" : "\n"
                }
                // No external application: the script appends a comment to $(BUILD_DIR)/app.uk.
                guard let buildDir = buildDirectory else { return nil }
                let path = normalizePath(buildDir + "/app.uk")
                var text = fs.contents(of: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
                text += "# external application\ncomment \"No external application specified\"\n"
                fs.write(path, text)
                return path + "\n"
            case "-e", "-p":
                files = value.split(separator: " ").map(String.init).compactMap { dir in
                    let file = dir.hasSuffix("/") ? dir + "Config.uk" : dir + "/Config.uk"
                    return fs.isFile(file) ? file : nil
                }
            case "-o": out = value
            default: return nil
            }
            i += 2
        }
        guard let out else { return nil }
        let path = normalizePath(out)
        var text = fs.contents(of: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for file in files where !text.contains(file) {
            text += "source \"\(file)\"\n"
        }
        fs.write(path, text)
        return out + "\n"
    }
}
