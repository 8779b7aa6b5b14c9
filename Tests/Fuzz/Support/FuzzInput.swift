// Shared by every fuzz harness (compiled into each fuzzer by scripts/fuzz.sh).

/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`, as a Swift array.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Splits `bytes` at every occurrence of `separator` (which must not be empty); the
/// parts do not contain it. Used to carry several inputs (files, a seed) in one.
func fuzzSections(_ bytes: [UInt8], separator: [UInt8]) -> [[UInt8]] {
    var parts: [[UInt8]] = []
    var start = 0
    var i = 0
    while i + separator.count <= bytes.count {
        if bytes[i] == separator[0], bytes[i..<(i + separator.count)].elementsEqual(separator) {
            parts.append(Array(bytes[start..<i]))
            i += separator.count
            start = i
        } else {
            i += 1
        }
    }
    parts.append(Array(bytes[start...]))
    return parts
}

/// Stops the fuzzer with a message when a harness's own invariant does not hold
/// (libFuzzer reports it as a crash, with the input saved).
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant: \(message())") }
}
