import Glibc

/// Numbers as the progress and summary lines print them.
enum NumberText {
    /// `value` with `decimals` digits after the point, rounded as C's `printf("%.Nf")` rounds
    /// (the exact binary value, half to even): what `String(format: "%.1f")` printed.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let format = "%.\(decimals)f"
        let length = withVaList([value]) { Int(vsnprintf(nil, 0, format, $0)) }
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `n` with a comma between groups of three digits (`1,234,567`): what `NumberFormatter`'s
    /// decimal style printed.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// `n` with at least two digits (`%02d`).
    static func twoDigits(_ n: Int) -> String {
        n >= 0 && n < 10 ? "0\(n)" : "\(n)"
    }
}
