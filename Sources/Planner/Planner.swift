/// The planner: Kconfig engine, Unikraft tree model and per-target plans.
