import Emitters
import FoundationEssentials

extension OutputWriter {
    /// Writes one file the user named (`plan -o`, `import -o`) atomically, overwriting what is
    /// there; a failure is reported on `console` and stops the run.
    package static func writeOne(_ text: String, to url: URL, console: Console) throws {
        do {
            try OutputWriter(folder: url.deletingLastPathComponent(), force: true).write(EmittedFile(path: url.lastPathComponent, contents: text))
        } catch {
            console.fail("output-write", "\(error)")
            throw DriverError.failure
        }
    }
}
