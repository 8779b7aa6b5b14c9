import Kconfig

/// The planner: Kconfig engine, Unikraft tree model and per-target plans.
///
/// The Kconfig engine (`Kconfig/`) re-implements Unikraft's `conf` (Linux 5.2 kconfig with
/// Unikraft's patches) so a full `.config` can be planned in-process:
///
/// - ``KconfigTree/load(root:sourceTree:fileSystem:environment:shell:)`` reads a tree through a
///   ``KconfigFileSystem``; `$(shell,…)` goes through a ``KconfigShellResolver``.
/// - ``KconfigTree/evaluate(seed:)`` computes every symbol as `conf --defconfig=<seed>` does,
///   with an explanation per symbol (``KconfigValue/explanation``).
/// - ``ConfigWriter/write(_:)`` and ``ConfigReader/read(_:file:)`` write and read `.config` text.
/// - ``UnikraftTree`` gives a Unikraft checkout's environment and generated submenu files.
