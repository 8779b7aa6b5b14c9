/// Appends values in the cache's binary form: unsigned LEB128 integers, strings written once and
/// then referenced by number.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []
    private var strings: [String: Int] = [:]

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// A non-negative integer (negative ones are written as 0; the model has none).
    mutating func uint(_ v: Int) {
        var x = UInt64(max(v, 0))
        while x >= 0x80 {
            bytes.append(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    /// A string: `0, length, bytes` the first time, `n + 1` (its number) afterwards.
    mutating func string(_ s: String) {
        if let n = strings[s] {
            uint(n + 1)
            return
        }
        strings[s] = strings.count
        uint(0)
        uint(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    mutating func optional<T>(_ value: T?, _ body: (inout ByteWriter, T) -> Void) {
        guard let value else { bool(false); return }
        bool(true)
        body(&self, value)
    }

    mutating func array<T>(_ items: [T], _ body: (inout ByteWriter, T) -> Void) {
        uint(items.count)
        for item in items { body(&self, item) }
    }

    /// Appends the raw bytes of a 64-bit value, little-endian.
    mutating func fixed64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}

/// Reads what `ByteWriter` wrote, checking every step: any malformed byte throws `Malformed`.
struct ByteReader {
    struct Malformed: Error {}

    let bytes: [UInt8]
    private(set) var index: Int
    let end: Int
    private var strings: [String] = []

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.index = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var atEnd: Bool { index == end }

    mutating func u8() throws -> UInt8 {
        guard index < end else { throw Malformed() }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bool() throws -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    /// At most 2^56: larger values are no count, id or position the model can hold.
    mutating func uint() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8()
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            guard shift < 56 else { throw Malformed() }
        }
        return Int(value)
    }

    /// A count of items that each take at least one byte: never more than the bytes left.
    mutating func count() throws -> Int {
        let n = try uint()
        guard n <= end - index else { throw Malformed() }
        return n
    }

    /// A symbol id below `limit`.
    mutating func id(below limit: Int) throws -> Int {
        let n = try uint()
        guard n < limit else { throw Malformed() }
        return n
    }

    mutating func string() throws -> String {
        let n = try uint()
        if n > 0 {
            guard n <= strings.count else { throw Malformed() }
            return strings[n - 1]
        }
        let length = try count()
        let s = String(decoding: bytes[index..<(index + length)], as: UTF8.self)
        index += length
        strings.append(s)
        return s
    }

    mutating func optional<T>(_ body: (inout ByteReader) throws -> T) throws -> T? {
        try bool() ? body(&self) : nil
    }

    mutating func array<T>(_ body: (inout ByteReader) throws -> T) throws -> [T] {
        let n = try count()
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try body(&self)) }
        return items
    }

    mutating func fixed64() throws -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(try u8()) << (8 * UInt64(i)) }
        return v
    }
}
