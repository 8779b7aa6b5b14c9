/// C library number parsing, as conf relies on it (`strtoll`, `strtoull`).
enum CNumber {
    struct Parsed {
        var value: Int64
        var unsignedValue: UInt64
        /// Index just past the last digit consumed (0 when nothing was parsed).
        var end: Int
        var overflow: Bool
    }

    /// `strtoll`/`strtoull` over ASCII bytes with `base` 0, 10 or 16.
    static func parse(_ text: String, base: Int, unsigned: Bool = false) -> Parsed {
        let b = Array(text.utf8)
        var i = 0
        while i < b.count && (b[i] == 0x20 || (b[i] >= 0x09 && b[i] <= 0x0D)) { i += 1 }
        var negative = false
        if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var radix = base
        func digit(_ c: UInt8) -> Int? {
            switch c {
            case 0x30...0x39: Int(c - 0x30)
            case 0x61...0x66: Int(c - 0x61 + 10)
            case 0x41...0x46: Int(c - 0x41 + 10)
            default: nil
            }
        }
        if (radix == 0 || radix == 16), i + 1 < b.count, b[i] == 0x30, b[i + 1] | 0x20 == UInt8(ascii: "x"),
           i + 2 < b.count, let d = digit(b[i + 2]), d < 16 {
            radix = 16
            i += 2
        } else if radix == 0 {
            radix = (i < b.count && b[i] == 0x30) ? 8 : 10
        }
        var magnitude: UInt64 = 0
        var overflow = false
        let start = i
        while i < b.count, let d = digit(b[i]), d < radix {
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: UInt64(radix))
            let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true }
            magnitude = m2
            i += 1
        }
        if i == start { return Parsed(value: 0, unsignedValue: 0, end: 0, overflow: false) }
        var signedValue: Int64
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { overflow = overflow || !unsigned; signedValue = Int64.min }
            else { signedValue = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude) }
        } else {
            if magnitude > UInt64(Int64.max) { if !unsigned { overflow = true }; signedValue = Int64.max }
            else { signedValue = Int64(magnitude) }
        }
        if overflow && !unsigned { signedValue = negative ? Int64.min : Int64.max }
        let unsignedResult: UInt64 = overflow ? UInt64.max : (negative ? 0 &- magnitude : magnitude)
        return Parsed(value: signedValue, unsignedValue: unsignedResult, end: i, overflow: overflow)
    }

    /// `strtoll(text, NULL, base)`.
    static func strtoll(_ text: String, base: Int) -> Int64 { parse(text, base: base).value }

    /// `0x%llx` of a signed value, as conf formats clamped hex values.
    static func hexString(_ v: Int64) -> String { "0x" + String(UInt64(bitPattern: v), radix: 16) }
}
