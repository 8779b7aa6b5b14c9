@testable import Driver
import Foundation
import Testing
import TestSupport

/// The driver's number and path texts print what the Foundation calls they replaced printed
/// (`String(format:)`, `NumberFormatter`, `NSString`'s path methods): the test target still
/// links Foundation, the driver does not.
struct FoundationParityTests {
    @Test func fixedDecimalsRoundAsPrintf() {
        var random = SplitMix64(seed: 15)
        // Halves and near-halves (where rounding differs between methods), small and large values.
        let special: [Double] = [0, 0.05, 0.15, 0.25, 0.35, 1.25, 2.675, 59.95, 59.949999, 0.005, 0.015, 1e20, 123456.785, -0.05, -2.5]
        let values = special + (0..<2000).map { _ in Double.random(in: 0..<10_000, using: &random) }
            + (0..<500).map { _ in Double(Int.random(in: 0..<100_000, using: &random)) / 1000 }
        for value in values {
            #expect(NumberText.fixed(value, decimals: 1) == String(format: "%.1f", value), "\(value)")
            #expect(NumberText.fixed(value, decimals: 2) == String(format: "%.2f", value), "\(value)")
        }
    }

    @Test func groupedIntegersMatchTheDecimalFormatter() {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        var random = SplitMix64(seed: 16)
        let values = [0, 1, 12, 999, 1000, 1001, 99_999, 100_000, 1_234_567, Int.max, Int.min + 1, -1, -1000, -123_456]
            + (0..<1000).map { _ in Int.random(in: -10_000_000_000..<10_000_000_000, using: &random) }
        for n in values {
            #expect(NumberText.grouped(n) == formatter.string(from: NSNumber(value: n)), "\(n)")
        }
    }

    @Test func twoDigitsMatchPercentZeroTwoD() {
        for n in [-12, -1, 0, 1, 9, 10, 59, 60, 123] {
            #expect(NumberText.twoDigits(n) == String(format: "%02d", n))
        }
    }

    @Test func buildAndBatchDurations() {
        #expect(Builder.format(0.05) == "0.1 s")
        #expect(Builder.format(59.96) == "60.0 s")
        #expect(Builder.format(61) == "1 min 01 s")
        #expect(Builder.format(3599.9) == "59 min 59 s")
        #expect(ManifestBatch.duration(0.0004) == "0 ms")
        #expect(ManifestBatch.duration(0.9994) == "999 ms")
        #expect(ManifestBatch.duration(2.005) == "2.00 s")
        #expect(BuildPhase.bytes(1_234_567) == "1,234,567 bytes")
    }

    @Test func deletingLastComponentMatchesNSString() {
        var random = SplitMix64(seed: 17)
        let pieces = ["a", "bc", "/", ".", "..", " ", "é", "e\u{301}"]
        var paths = ["/", "", "/a", "a/b", "/a/b/", "ab", "ab/", "/ab/", "./", "../a"]
        for _ in 0..<3000 {
            paths.append((0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        }
        // NSString mis-indexes a path with a run of slashes (it traps on "//é" and
        // "a//////bc//"), and traps on one of one character ("a", "a/"): those are below.
        for path in paths where !path.contains("//") {
            var fixed = path
            if fixed.count > 1, fixed.hasSuffix("/") { fixed.removeLast() }
            guard fixed.utf16.count != 1 || fixed == "/" else { continue }
            #expect(PathText.deletingLastComponent(path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
        let expected = ["a": "", "a/": "", "//": "", "///": "", "//a": "/", "a//b//": "a", "/ab//": "/", "a//////bc//": "a", "//é": "/",
                        "x//y///z": "x/y"]
        for (path, parent) in expected {
            #expect(PathText.deletingLastComponent(path) == parent, "\(path)")
        }
    }

    @Test func expandingTildeMatchesNSString() {
        let paths = ["~", "~/", "~/a", "~/a/", "~//a//", "~root", "~root/x/", "~no-such-user-15/b/", "~no-such-user-15",
                     "x~", "/abs/", "rel/", "/", "", "~~", "~/é/"]
        for path in paths {
            #expect(PathText.expandingTilde(path) == NSString(string: path).expandingTildeInPath, "\(path)")
        }
        #expect(PathText.home == NSHomeDirectory())
    }
}
