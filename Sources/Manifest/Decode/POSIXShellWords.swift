/// `ShellWords` under a name that does not collide with the planner's own (Kconfig
/// `$(shell,…)`) splitter, for modules that import both.
public typealias POSIXShellWords = ShellWords
