@testable import Driver
import Foundation
import Testing

/// File errors read `'path': reason`, whether FoundationEssentials alone prints them (the
/// binary) or Foundation (the tests).
struct ErrorTextTests {
    @Test func fileErrorsNameThePathAndTheSystemsReason() {
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: "/no-such-folder-15")
            Issue.record("listed a folder that does not exist")
        } catch {
            #expect(ErrorText.describe(error) == "'/no-such-folder-15': No such file or directory")
            #expect("\(ErrorText.forPrinting(error))" == "'/no-such-folder-15': No such file or directory")
        }
    }

    @Test func fileErrorsWithoutASystemErrorNameTheirKind() {
        #expect(ErrorText.describe(CocoaError(.fileReadInapplicableStringEncoding, userInfo: [NSFilePathErrorKey: "/a"]))
                == "'/a': the file is not text in the expected encoding")
        #expect(ErrorText.describe(CocoaError(.fileReadUnknown)) == "file error 256")
        #expect(ErrorText.describe(POSIXError(.EACCES)) == "Permission denied")
    }

    @Test func otherErrorsDescribeThemselves() {
        struct Mine: Error, CustomStringConvertible { var description: String { "mine" } }
        #expect(ErrorText.describe(Mine()) == "mine")
        #expect(ErrorText.forPrinting(Mine()) is Mine)
    }
}
