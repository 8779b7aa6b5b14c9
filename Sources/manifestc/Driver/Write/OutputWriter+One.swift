import Emitters
import FoundationEssentials

extension OutputWriter {
    /// Writes one file the user named (`plan -o`, `import -o`) atomically, overwriting what is
    /// there; a failure is reported on `console` and stops the run. A plain file that already
    /// holds exactly `text` is left as it is, as `emit` leaves unchanged files (its time too, so
    /// make sees nothing new).
    package static func writeOne(_ text: String, to url: URL, console: Console) throws {
        let writer = OutputWriter(folder: url.deletingLastPathComponent(), force: true)
        if let existing = try? writer.fileSystem.readRegularFile(url), existing.elementsEqual(text.utf8) { return }
        do {
            try writer.write(EmittedFile(path: url.lastPathComponent, contents: text))
        } catch {
            console.fail("output-write", "\(error)")
            throw DriverError.failure
        }
    }
}
