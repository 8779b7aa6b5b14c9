import FoundationEssentials
import Glibc
import Manifest
import Diagnostics

/// The load phase: finds, reads and decodes the manifest named by `InputSettings`, and
/// reports diagnostics. The only place that touches the disk and the environment on the way in.
package struct ManifestInput {
    package static let fileNames = ["Kraftfile", "kraft.yaml", "kraft.yml", "Kraftfile.yml", "Kraftfile.yaml"]

    package let options: InputSettings
    /// Where diagnostics go (standard error unless buffered or collected).
    package var console: Console

    package init(options: InputSettings, console: Console) {
        self.options = options
        self.console = console
    }

    /// The manifest's path: the one given, or the one found by searching upward.
    package static func locate(_ file: String?, allowed: [String] = []) throws -> String {
        if let file { return file }
        let fm = FileManager.default
        var folder = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL
        while true {
            let present = Self.fileNames.filter { name in
                var isDirectory = false
                return fm.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory) && !isDirectory
            }
            if present.count > 1 {
                throw DriverError.usage("found several manifests in \(folder.path): \(present.joined(separator: ", ")); name the one to use")
            }
            if let name = present.first {
                let path = folder.appendingPathComponent(name).path
                try ManifestDiscovery.checkDiscovered(path, searchRoot: folder.path, allowed: allowed)
                return path.hasPrefix(fm.currentDirectoryPath + "/") ? String(path.dropFirst(fm.currentDirectoryPath.count + 1)) : path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw DriverError.usage("no manifest found in the current folder or its parents; looked for \(Self.fileNames.joined(separator: ", "))")
    }

    package struct Loaded {
        package var result: ManifestLoader.Result
        package var diagnostics: [Diagnostic]
        package var sources: [String: SourceText]
    }

    /// Reads and decodes the manifest at `path`.
    package func load(_ path: String) throws -> Loaded {
        // Named or found, a manifest that is a link out of its repository is not read (CI names
        // the manifest a pull request may have turned into a link to /proc/self/environ); a
        // FIFO or a device named on the command line is (`manifestc /dev/stdin`).
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
           let refusal = options.readScope(manifest: path).refusal(URL(fileURLWithPath: path), what: "the manifest") {
            throw DriverError.usage(refusal.description)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DriverError.usage("cannot read '\(path)': \(Self.readFailure(path))")
        }
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        var fileValues: [String: String] = [:]
        let envPath = options.envFile ?? URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".env").path
        let envData: Data?
        do {
            // A `.env` found beside the manifest is read only inside the repository; `--env-file` is named.
            // (A folder named `.env`, such as a Python virtual environment, is not one.)
            var isFolder = false
            envData = options.envFile != nil ? FileManager.default.contents(atPath: envPath)
                : FileManager.default.fileExists(atPath: envPath, isDirectory: &isFolder) && isFolder ? nil
                : try options.readScope(manifest: path).read(URL(fileURLWithPath: envPath), what: "the env file")
        } catch {
            throw DriverError.usage(ErrorText.describe(error))
        }
        if let envData {
            let text = String(decoding: envData, as: UTF8.self)
            let parsed = EnvFile.parse(text, file: envPath)
            fileValues = parsed.values
            diagnostics += parsed.diagnostics
            sources[envPath] = SourceText(file: envPath, text: text)
        } else if options.envFile != nil {
            throw DriverError.usage("cannot read the env file '\(envPath)': \(Self.readFailure(envPath))")
        }
        let (environment, withheld) = options.environmentPolicy.environment(file: fileValues, process: options.environment)

        let loader = ManifestLoader(limits: options.limits, strict: options.strict)
        let result = loader.load(Array(data), file: path, environment: environment, withheld: withheld)
        sources[path] = result.source
        return Loaded(result: result, diagnostics: diagnostics + result.diagnostics, sources: sources)
    }

    private static func readFailure(_ path: String) -> String {
        var isDirectory = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        return isDirectory ? "it is a folder" : "permission denied"
    }

    /// Reports diagnostics through the console's engine.
    package func report(_ diagnostics: [Diagnostic], sources: [String: SourceText]) {
        console.diagnostics.report(diagnostics, sources: sources)
    }
}
