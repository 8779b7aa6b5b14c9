import Glibc

/// Whole reads and writes on an open file descriptor: the one place manifestc writes to its
/// standard output and standard error, and reads an opened file to its end.
package enum FileDescriptorIO {
    /// Writes all of `text` to `fd` (a write interrupted by a signal is resumed; one that
    /// fails drops the rest: there is nowhere left to report it).
    package static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }

    /// Standard output: `text` as given.
    package static func standardOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Standard error: `text` as given.
    package static func standardError(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Everything left to read from `fd`, or nil when a read fails (`errno` says why).
    static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }
}
