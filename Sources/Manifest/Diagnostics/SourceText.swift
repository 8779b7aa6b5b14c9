/// The text of one input file, indexed the way libyaml counts positions.
///
/// Line breaks are `\n`, `\r\n`, a lone `\r`, and U+0085, U+2028, U+2029 (libyaml
/// treats all of these as breaks). Columns count Unicode scalars. A leading UTF-8
/// byte-order mark is not part of the text, as in libyaml. Only the bytes and the
/// line starts are stored; columns are counted when asked for.
public struct SourceText: Sendable {
    public let file: String
    /// The input without a leading byte-order mark.
    private let bytes: [UInt8]
    /// Length of the byte-order mark that was removed (0 or 3).
    private let bomLength: Int
    /// Byte offset (in `bytes`) of the first byte of each line.
    private let lineStarts: [Int]

    public init(file: String, bytes input: [UInt8]) {
        self.file = file
        bomLength = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let bytes = bomLength == 0 ? input : Array(input[bomLength...])
        self.bytes = bytes
        var starts = [0]
        var i = 0
        let n = bytes.count
        bytes.withUnsafeBufferPointer { b in
            while i < n {
                switch b[i] {
                case 0x0A:
                    i += 1
                    starts.append(i)
                case 0x0D:
                    i += (i + 1 < n && b[i + 1] == 0x0A) ? 2 : 1
                    starts.append(i)
                case 0xC2 where i + 1 < n && b[i + 1] == 0x85:
                    i += 2
                    starts.append(i)
                case 0xE2 where i + 2 < n && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                    i += 3
                    starts.append(i)
                default:
                    i += 1
                }
            }
        }
        lineStarts = starts
    }

    public init(file: String, text: String) {
        self.init(file: file, bytes: Array(text.utf8))
    }

    public var lineCount: Int { lineStarts.count }

    /// The text of line `line` (1-based) without its line break; empty past the end.
    /// Invalid UTF-8 shows as U+FFFD.
    public func line(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        // Drop the break: \n, \r, \r\n, or a three- or two-byte Unicode break.
        if end > start, bytes[end - 1] == 0x0A { end -= 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        if line < lineStarts.count {
            if end - start >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0x85 { end -= 2 }
            else if end - start >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, bytes[end - 1] == 0xA8 || bytes[end - 1] == 0xA9 { end -= 3 }
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The position of the byte at `offset` in the original input (BOM included).
    public func position(ofByteOffset offset: Int) -> SourcePosition {
        let target = min(max(0, offset - bomLength), bytes.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= target { lo = mid } else { hi = mid - 1 }
        }
        // Columns count scalars: every byte that is not a UTF-8 continuation byte starts one.
        var column = 1
        for i in lineStarts[lo]..<target where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return SourcePosition(line: lo + 1, column: column)
    }

    /// The byte offset in the original input (BOM included) of `position`; a column past the
    /// end of its line gives the offset of the line's end (before its break).
    public func byteOffset(of position: SourcePosition) -> Int {
        guard position.line >= 1 else { return bomLength }
        guard position.line <= lineStarts.count else { return bomLength + bytes.count }
        let start = lineStarts[position.line - 1]
        let lineEnd = position.line < lineStarts.count ? lineStarts[position.line] : bytes.count
        let lastColumn = min(position.column, line(position.line).unicodeScalars.count + 1)
        var offset = start
        var column = 1
        while offset < lineEnd, column < lastColumn {
            offset += 1
            while offset < lineEnd, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        return bomLength + offset
    }

    /// The first invalid UTF-8 sequence in `bytes`, as a byte offset and its first byte.
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> (offset: Int, byte: UInt8)? {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                let first = b[i]
                if first < 0x80 { i += 1; continue }
                let length: Int
                var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
                switch first {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lowerBound = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upperBound = 0x9F
                case 0xF0: length = 4; lowerBound = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upperBound = 0x8F
                default: return (i, first)
                }
                if i + length > n { return (i, first) }
                for k in 1..<length {
                    let c = b[i + k]
                    let (lo, hi) = k == 1 ? (lowerBound, upperBound) : (UInt8(0x80), UInt8(0xBF))
                    if c < lo || c > hi { return (i, first) }
                }
                i += length
            }
            return nil
        }
    }
}
