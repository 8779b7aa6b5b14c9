import FoundationEssentials
import Glibc

/// An error as a message. FoundationEssentials prints its file errors as a dump of their fields
/// (`CocoaError(code: …(rawValue: 513), userInfo: […])`); here they read `'path': reason`, with
/// the reason the system gave. Every other error describes itself.
package enum ErrorText {
    package static func describe(_ error: any Error) -> String {
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        guard let error = error as? CocoaError else { return "\(error)" }
        let reason = error.underlying.map(describe) ?? reasons[error.code.rawValue] ?? "file error \(error.code.rawValue)"
        return (error.filePath ?? error.url?.path).map { "'\($0)': \(reason)" } ?? reason
    }

    /// `error` for swift-argument-parser's `exit(withError:)`, which prints an error's own
    /// description: a file error described as `describe` does.
    package static func forPrinting(_ error: any Error) -> any Error {
        error is CocoaError || error is POSIXError ? Described(description: describe(error)) : error
    }

    private struct Described: Error, CustomStringConvertible {
        let description: String
    }

    /// The reasons of the file errors that carry no system error.
    private static let reasons: [Int: String] = [
        4: "no such file or folder", 260: "no such file or folder",
        257: "permission denied", 513: "permission denied",
        259: "the file is not in the expected format",
        261: "the file is not text in the expected encoding", 264: "the file is not text in the expected encoding",
        516: "the file exists", 517: "the text cannot be written in the expected encoding",
        640: "no space left on the device", 642: "read-only file system",
    ]
}
