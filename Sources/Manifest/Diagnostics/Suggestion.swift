/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo:
    /// at most a third of the word's length in edits (and at least one), compared case-insensitively
    /// (on the Unicode scalars of the lowercased texts). Of equally close candidates the first wins.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = scalars(ofLowercased: word)
        let limit = max(1, target.count / 3)
        var best: String?
        // A candidate is taken only when strictly closer than the best so far and within the limit,
        // so each distance is computed only up to `bound`; farther ones are not finished.
        var bound = limit
        var matrix = DistanceRows(columns: target.count)
        var counts = ASCIICounts(target)
        var text: [UInt32] = []
        for candidate in candidates {
            if isASCII(candidate) {
                // An ASCII text lowercases byte for byte: its length is known without lowercasing it.
                guard abs(candidate.utf8.count - target.count) <= bound else { continue }
                text.removeAll(keepingCapacity: true)
                for byte in candidate.utf8 { text.append(UInt32(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)) }
                if let lower = counts?.lowerBound(text), lower > bound { continue }
            } else {
                text = scalars(ofLowercased: candidate)
            }
            let d = matrix.distance(text, target, limit: bound)
            if d <= bound {
                best = candidate
                if d == 0 { break }
                bound = d - 1
            }
        }
        return best
    }

    /// `"; did you mean 'x'?"`, or the empty string when nothing is close.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    private static func scalars(ofLowercased text: String) -> [UInt32] {
        text.lowercased().unicodeScalars.map(\.value)
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }
}

/// How often each ASCII character occurs in a word, for a cheap lower bound of its distance to
/// another ASCII text: each edit (insertion, deletion, substitution, transposition) pairs off at
/// most one character of either text that the other lacks.
struct ASCIICounts {
    private var counts = [Int](repeating: 0, count: 0x80)
    private let length: Int

    /// `nil` unless every scalar of `word` is ASCII.
    init?(_ word: [UInt32]) {
        guard word.allSatisfy({ $0 < 0x80 }) else { return nil }
        for c in word { counts[Int(c)] += 1 }
        length = word.count
    }

    /// At most the edit distance of the word and `text` (ASCII scalars only).
    mutating func lowerBound(_ text: [UInt32]) -> Int {
        var unmatched = 0  // characters of `text` beyond the word's count of them
        for c in text {
            counts[Int(c)] -= 1
            if counts[Int(c)] < 0 { unmatched += 1 }
        }
        for c in text { counts[Int(c)] += 1 }
        return max(unmatched, length - (text.count - unmatched))
    }
}

/// The three rows of an optimal string alignment table, kept between candidates so that
/// comparing many candidates with one word allocates nothing per candidate.
struct DistanceRows {
    private var previous2: [Int]
    private var previous: [Int]
    private var current: [Int]

    init(columns: Int) {
        previous2 = [Int](repeating: 0, count: columns + 1)
        previous = previous2
        current = previous2
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions) of `a` and `b`
    /// (`b` has the length given at `init`) when it is at most `limit`; otherwise some value above
    /// `limit` (given up as soon as the lengths or a whole row of the table exceed it).
    mutating func distance(_ a: [UInt32], _ b: [UInt32], limit: Int) -> Int {
        precondition(b.count + 1 == current.count, "rows made for another word")
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let n = b.count
        for j in 0...n { previous[j] = j }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                previous2.withUnsafeMutableBufferPointer { previous2 in
                    previous.withUnsafeMutableBufferPointer { previous in
                        current.withUnsafeMutableBufferPointer { current in
                            var rows = (previous2, previous, current)
                            for i in 1...a.count {
                                let (twoUp, up, row) = rows
                                let ai = a[i - 1]
                                row[0] = i
                                var rowMin = i
                                for j in 1...n {
                                    let bj = b[j - 1]
                                    var value = Swift.min(up[j] + 1, row[j - 1] + 1, up[j - 1] + (ai == bj ? 0 : 1))
                                    if i > 1, j > 1, ai == b[j - 2], a[i - 2] == bj {
                                        value = Swift.min(value, twoUp[j - 2] + 1)
                                    }
                                    row[j] = value
                                    rowMin = Swift.min(rowMin, value)
                                }
                                if rowMin > limit { return limit + 1 }
                                rows = (up, row, twoUp)
                            }
                            return rows.1[n]
                        }
                    }
                }
            }
        }
    }
}
