// libFuzzer target `env-file`: the `.env` reader (a file next to the manifest, so as
// untrusted as the manifest), then interpolation of each of its values with the variables
// it defines, and shell-word splitting of the results (how `cmd` strings are split).
// Built and run by scripts/fuzz.sh; seeds in Tests/Fuzz/Seeds/env-file.
import Manifest
import Diagnostics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let (values, diagnostics) = EnvFile.parse(text, file: ".env")
    _ = DiagnosticRenderer(sources: [".env": SourceText(file: ".env", text: text)]).render(diagnostics)
    let interpolator = Interpolator(environment: values)
    for (_, value) in values.sorted(by: { $0.key < $1.key }).prefix(64) {
        let (expanded, problems) = interpolator.interpolate(value)
        let count = value.unicodeScalars.count
        for p in problems {
            fuzzCheck(p.offset >= 0 && p.length >= 0 && p.offset + p.length <= count,
                      "problem at \(p.offset)+\(p.length) is outside the \(count)-scalar text")
        }
        if case .failure(let error) = ShellWords.split(expanded) {
            fuzzCheck(error.offset >= 0 && error.offset < expanded.unicodeScalars.count, "unterminated quote at \(error.offset) is outside the text")
        }
    }
    return 0
}
