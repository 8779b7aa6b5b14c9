import Diagnostics

extension DecodeContext {
    /// The Kconfig options of the core and the libraries are written into every target's
    /// seed and configuration, so their size multiplies by the number of targets: a few
    /// large values and many targets make gigabytes of output from a small manifest.
    /// Reported once, at the first target, against the `expanded-bytes` limit.
    mutating func checkKconfigPerTarget(_ manifest: Manifest) {
        func bytes(_ options: [KconfigOption]) -> Int {
            options.reduce(0) { $0 + $1.symbol.value.utf8.count + $1.value.value.text.utf8.count + 4 }
        }
        let shared = bytes(manifest.unikraft?.kconfig ?? []) + manifest.libraries.reduce(0) { $0 + bytes($1.component.kconfig) }
        guard let first = manifest.targets.first, manifest.targets.count > 1 else { return }
        let total = manifest.targets.reduce(0) { $0 + shared + bytes($1.kconfig) }
        guard total > limits.maxExpandedBytes else { return }
        error("limit-expanded-size",
              "the kconfig options are written once per target: \(manifest.targets.count) targets with \(shared) bytes of shared options add up to \(total) bytes, more than the limit of \(limits.maxExpandedBytes)",
              first.range, notes: [DiagnosticNote(Limits.howToRaise(\.maxExpandedBytes))])
    }
}
