import FoundationEssentials
import Glibc
import Manifest
import Diagnostics

/// Turns the paths on the command line into manifests: a file is itself; a folder is
/// searched, recursively and in name order, for the manifest names `locate` knows
/// (hidden folders such as `.unikraft` and `.git` are skipped); nothing means the
/// manifest found from the current folder upward.
package enum ManifestDiscovery {
    package struct Inputs: Equatable {
        /// The manifests, in the order given (each folder's in path order), each once.
        package var paths: [String]
        /// Whether several manifests were asked for (more than one path, or a folder):
        /// then they are compiled as a batch with a summary.
        package var searched: Bool
    }

    /// `commands`: the command names a mistyped first word may have meant (the default command's
    /// first word on the command line), for "unknown command … did you mean".
    package static func resolve(_ arguments: [String], allowed: [String] = [], commands: [String] = []) throws -> Inputs {
        if arguments.isEmpty { return Inputs(paths: [try ManifestInput.locate(nil, allowed: allowed)], searched: false) }
        let fm = FileManager.default
        var paths: [String] = []
        var seen = Set<String>()
        var searched = arguments.count > 1
        for argument in arguments {
            var isDirectory = false
            guard fm.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                // `manifestc valdate`: the default command took a mistyped command name for a file.
                if argument == arguments.first, !argument.contains("/"),
                   let command = Suggestion.closest(to: argument, among: commands) {
                    throw DriverError.usage("unknown command '\(argument)'; did you mean '\(command)'?")
                }
                throw DriverError.usage("cannot read '\(argument)': no such file or folder")
            }
            var found: [String]
            if isDirectory {
                searched = true
                found = try search(argument, allowed: allowed)
                if found.isEmpty {
                    throw DriverError.usage("no manifest found under '\(argument)'; looked for \(ManifestInput.fileNames.joined(separator: ", "))")
                }
            } else {
                found = [argument]
            }
            for path in found where seen.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted {
                paths.append(path)
            }
        }
        return Inputs(paths: paths, searched: searched)
    }

    /// A manifest manifestc found (not one named on the command line) is read only when it
    /// is a plain file inside the repository, the folder searched or a path `--allow-outside`
    /// names: a link to `/proc/self/environ` or a FIFO would print secrets or hang.
    static func checkDiscovered(_ path: String, searchRoot: String, allowed: [String]) throws {
        let scope = ReadScope(manifestFolder: URL(fileURLWithPath: searchRoot), named: [searchRoot], allowed: allowed)
        let url = URL(fileURLWithPath: path)
        if let refusal = scope.refusal(url, what: "the manifest") { throw DriverError.usage(refusal.description) }
        var info = stat()
        if stat(path, &info) == 0, let kind = Confinement.irregularKind(info.st_mode) {
            throw DriverError.usage("the manifest '\(path)' is \(kind), not a regular file; manifestc reads it only when it is named on the command line")
        }
    }

    /// The manifests under `folder`, as paths that start with `folder`; a folder's own
    /// manifest comes before those of its subfolders, subfolders in name order.
    static func search(_ folder: String, allowed: [String] = [], root: String? = nil) throws -> [String] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: folder))?.sorted() ?? []
        // `.` lists its manifests as `apps/a/Kraftfile`, not `./apps/a/Kraftfile`.
        func join(_ name: String) -> String {
            folder == "." ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
        }
        // The entry itself (a link is not followed); lstat, not attributesOfItem, which looks up the owner's name.
        func isFolder(_ name: String) -> Bool {
            var info = stat()
            return lstat(join(name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
        let present = ManifestInput.fileNames.filter { names.contains($0) && !isFolder($0) }
        if present.count > 1 {
            throw DriverError.usage("found several manifests in \(folder): \(present.joined(separator: ", ")); keep one, or name the one to use")
        }
        var out = present.map(join)
        for path in out { try checkDiscovered(path, searchRoot: root ?? folder, allowed: allowed) }
        // Symbolic links to folders are not followed: no cycles, no manifest twice.
        for name in names where !name.hasPrefix(".") && isFolder(name) {
            out += try search(join(name), allowed: allowed, root: root ?? folder)
        }
        return out
    }
}
