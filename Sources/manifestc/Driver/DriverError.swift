/// The one error the driver's phases throw to the command line. What went wrong in the
/// input is reported as diagnostics (`DiagnosticsEngine`) before `exit` is thrown; `usage`
/// is a problem with the command line itself.
package enum DriverError: Error, Equatable, CustomStringConvertible {
    /// A usage problem (exit status 2): a file that cannot be read, an unknown target, …
    case usage(String)
    /// Stop with this exit status; the reasons have been reported.
    case exit(Int32)

    /// Exit status 1 after reported errors.
    package static let failure = DriverError.exit(1)

    package var description: String {
        switch self {
        case .usage(let message): message
        case .exit(let status): "exit status \(status)"
        }
    }
}
