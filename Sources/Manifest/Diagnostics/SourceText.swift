/// The text of one input file, indexed the way libyaml counts positions.
///
/// Line breaks are `\n`, `\r\n`, a lone `\r`, and U+0085, U+2028, U+2029 (libyaml
/// treats all of these as breaks). Columns count Unicode scalars. A leading UTF-8
/// byte-order mark is not part of the text, as in libyaml.
public struct SourceText: Sendable {
    public let file: String
    /// The text without a leading byte-order mark.
    public let scalars: [Unicode.Scalar]
    /// Index into `scalars` of the first scalar of each line.
    private let lineStarts: [Int]
    /// For each scalar, the byte offset in the original input (including any BOM).
    private let byteOffsets: [Int]

    /// Decodes `bytes` as UTF-8, replacing invalid sequences with U+FFFD so that
    /// positions can still be shown for a file that is not valid UTF-8.
    public init(file: String, bytes: [UInt8]) {
        self.file = file
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(bytes.count - start)
        offsets.reserveCapacity(bytes.count - start)
        var decoder = UTF8()
        var offset = start
        var iterator = bytes[start...].makeIterator()
        loop: while true {
            // UTF8.decode does not report how many bytes it consumed, so count them.
            let before = offset
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                scalars.append(s)
                offsets.append(before)
                offset += UTF8.width(s)
            case .error:
                scalars.append("\u{FFFD}")
                offsets.append(before)
                offset += 1
            case .emptyInput:
                break loop
            }
        }
        self.scalars = scalars
        self.byteOffsets = offsets
        var starts = [0]
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                i += 2
                starts.append(i)
                continue
            }
            i += 1
            if Self.isBreak(s) { starts.append(i) }
        }
        self.lineStarts = starts
    }

    public init(file: String, text: String) {
        self.init(file: file, bytes: Array(text.utf8))
    }

    static func isBreak(_ s: Unicode.Scalar) -> Bool {
        s == "\n" || s == "\r" || s == "\u{85}" || s == "\u{2028}" || s == "\u{2029}"
    }

    public var lineCount: Int { lineStarts.count }

    /// The text of line `line` (1-based) without its line break; empty past the end.
    public func line(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        var end = line < lineStarts.count ? lineStarts[line] : scalars.count
        while end > lineStarts[line - 1], Self.isBreak(scalars[end - 1]) { end -= 1 }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[lineStarts[line - 1]..<end])
        return String(s)
    }

    /// The position of the scalar at `index` (0-based, in `scalars`).
    public func position(ofScalarIndex index: Int) -> SourcePosition {
        // The last line start that is <= index.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return SourcePosition(line: lo + 1, column: index - lineStarts[lo] + 1)
    }

    /// The position of the byte at `offset` in the original input (BOM included).
    public func position(ofByteOffset offset: Int) -> SourcePosition {
        var lo = 0, hi = byteOffsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if byteOffsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return position(ofScalarIndex: lo)
    }

    /// The first invalid UTF-8 sequence in `bytes`, as a byte offset and its first byte.
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> (offset: Int, byte: UInt8)? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let length: Int
            var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperBound = 0x9F
            case 0xF0: length = 4; lowerBound = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperBound = 0x8F
            default: return (i, b)
            }
            if i + length > n { return (i, b) }
            for k in 1..<length {
                let c = bytes[i + k]
                let (lo, hi) = k == 1 ? (lowerBound, upperBound) : (UInt8(0x80), UInt8(0xBF))
                if c < lo || c > hi { return (i, b) }
            }
            i += length
        }
        return nil
    }
}
