// libFuzzer target `config-reader`: ConfigReader on arbitrary `.config`/seed text,
// with the invariant that writing its assignments back out and reading them again
// gives the same assignments. Built and run by scripts/fuzz.sh.
import Manifest
import Planner
import Diagnostics
import Kconfig

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let (assignments, diagnostics) = ConfigReader.read(text, file: "fuzz.config")
    _ = DiagnosticRenderer(sources: ["fuzz.config": SourceText(file: "fuzz.config", text: text)]).render(diagnostics)

    // A value ending in '\r' loses it on the way back (a trailing '\r' is dropped once per read, as conf does).
    guard !assignments.contains(where: { if case .raw(let v) = $0.value { v.hasSuffix("\r") } else { false } }) else { return 0 }
    let rewritten = assignments.map(\.line).joined(separator: "\n")
    let (again, _) = ConfigReader.read(rewritten, file: "again.config")
    fuzzCheck(again.map(\.name) == assignments.map(\.name) && again.map(\.value) == assignments.map(\.value),
              "assignments change when written and read again")
    return 0
}
