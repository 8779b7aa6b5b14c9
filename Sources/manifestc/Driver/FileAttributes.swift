import FoundationEssentials

extension Dictionary where Key == FileAttributeKey, Value == Any {
    /// The file's size in bytes, from `FileManager.attributesOfItem(atPath:)`: a `UInt` from
    /// FoundationEssentials alone (which `as? Int` does not take), an `NSNumber` when Foundation
    /// is loaded too (in the tests).
    var fileSizeInBytes: Int? {
        let size = self[.size]
        return (size as? Int) ?? (size as? any BinaryInteger).flatMap { Int(exactly: $0) }
    }
}
