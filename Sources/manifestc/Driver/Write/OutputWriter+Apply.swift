import Emitters
import FoundationEssentials

extension OutputWriter {
    package enum Mode: Equatable {
        /// Write what changed (refusing edited and foreign files unless forced).
        case write
        /// List what would change.
        case dryRun
        /// Write nothing; print a diff of every missing or stale file. `regenerate` is the command to suggest.
        case check(regenerate: String)
    }

    /// Writes, lists or checks `files` in this folder, printing to `console`: the steps every
    /// command that generates files shares (`emit`, `ci`). Returns ok, stale (`--check` found
    /// a difference) or failed, and how many files were written.
    package func apply(_ files: [EmittedFile], mode: Mode, console: Console) -> (status: CompileResult.Status, written: Int) {
        switch mode {
        case .check(let command):
            var stale = 0
            for p in plan(files) where p.change != .unchanged {
                stale += 1
                if case .refuse(let why, forcible: false) = p.change {
                    console.fail("output-unsafe", "'\(folder.appendingPathComponent(p.file.path).path)' cannot be checked: \(why)")
                } else if let existing = p.existing {
                    console.out(UnifiedDiff.render(old: existing, new: p.file.contents, oldName: "a/\(p.file.path)", newName: "b/\(p.file.path)"))
                } else {
                    console.say("'\(folder.appendingPathComponent(p.file.path).path)' is missing")
                    console.out(UnifiedDiff.render(old: "", new: p.file.contents, oldName: "/dev/null", newName: "b/\(p.file.path)"))
                }
            }
            guard stale == 0 else {
                console.say("\(stale) generated file\(stale == 1 ? " is" : "s are") missing or stale; run '\(command)' to regenerate")
                return (.stale, 0)
            }
            return (.ok, 0)
        case .dryRun:
            // The status the real run would have: it refuses before writing anything.
            let planned = plan(files)
            for p in planned { console.out("\(Self.describe(p.change)) \(p.file.path)\n") }
            let refused = planned.filter { if case .refuse = $0.change { return true }; return false }.count
            guard refused == 0 else {
                console.fail("output-refused", "\(refused) file\(refused == 1 ? "" : "s") would be refused; the real run would write nothing")
                return (.failed, 0)
            }
            return (.ok, 0)
        case .write:
            // Hold the folder's lock from deciding what to write until the record is written.
            let lock: AnyObject
            do {
                lock = try self.lock { console.say("waiting for another manifestc writing \(folder.path)") }
            } catch {
                console.fail("output-write", "\(error)")
                return (.failed, 0)
            }
            defer { withExtendedLifetime(lock) {} }
            removeAbandonedTemporaries()
            let planned = plan(files)
            let refused = planned.filter { if case .refuse = $0.change { return true }; return false }
            if !refused.isEmpty {
                for p in refused {
                    if case .refuse(let why, let forcible) = p.change {
                        console.fail("output-refused", "refusing to overwrite '\(folder.appendingPathComponent(p.file.path).path)': \(why)\(forcible ? "; move it away or use --force" : "")")
                    }
                }
                return (.failed, 0)
            }
            do {
                let changed = planned.filter { $0.change != .unchanged }.map(\.file)
                // The new hashes first: a kill after the renames leaves files the next run
                // recognises (OutputWriter.pendingName); an earlier interrupted run's stay.
                let written = Dictionary(changed.map { ($0.path, SHA256.hex(Array($0.contents.utf8))) }) { $1 }
                let pending = readRecord(Self.pendingName).merging(written) { $1 }
                let lines = pending.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }
                if !changed.isEmpty { try write(EmittedFile(path: Self.pendingName, contents: lines.joined())) }
                for file in changed { try write(file) }
                try afterRenames()
                try write(record(after: files, written: written))
                fileSystem.remove(folder.appendingPathComponent(Self.pendingName))
            } catch {
                console.fail("output-write", "\(error)")
                return (.failed, 0)
            }
            return (.ok, planned.filter { $0.change != .unchanged }.count)
        }
    }

    private static func describe(_ change: Change) -> String {
        switch change {
        case .create: "create   "
        case .update: "update   "
        case .unchanged: "unchanged"
        case .refuse(let why, _): "refuse   (\(why))"
        }
    }
}
