/// A unified diff of two texts (line-based, LCS), for `--check` and golden tests.
public enum UnifiedDiff {
    public static func render(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        // Longest common subsequence table over suffixes; inputs are generated files, small.
        let n = a.count, m = b.count
        if n * m > 25_000_000 {
            return "--- \(oldName)\n+++ \(newName)\n@@ files too large to diff (\(n) and \(m) lines) @@\n"
        }
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(String), del(String), add(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            // Deletions before additions, as diff(1) prints them.
            if i < n, j < m, a[i] == b[j] { ops.append(.same(a[i])); i += 1; j += 1 }
            else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] { ops.append(.del(a[i])); i += 1 }
            else { ops.append(.add(b[j])); j += 1 }
        }
        // Group changes into hunks with `context` lines around them.
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var k = 0
        while k < ops.count {
            guard let firstChange = ops[k...].firstIndex(where: { if case .same = $0 { return false }; return true }) else { break }
            let start = max(k, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if case .same = ops[end] {
                    if end - lastChange > 2 * context { break }
                } else {
                    lastChange = end
                }
                end += 1
            }
            end = min(ops.count, lastChange + context + 1)
            var oldStart = 1, newStart = 1
            for op in ops[..<start] {
                switch op {
                case .same: oldStart += 1; newStart += 1
                case .del: oldStart += 1
                case .add: newStart += 1
                }
            }
            var body = "", oldCount = 0, newCount = 0
            for op in ops[start..<end] {
                switch op {
                case .same(let l): body += " \(l)\n"; oldCount += 1; newCount += 1
                case .del(let l): body += "-\(l)\n"; oldCount += 1
                case .add(let l): body += "+\(l)\n"; newCount += 1
                }
            }
            out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n" + body
            k = end
        }
        return out
    }

    private static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
