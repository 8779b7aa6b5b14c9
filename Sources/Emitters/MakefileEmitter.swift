import Planner

/// The app `Makefile`: `UK_ROOT`, `UK_LIBS`, `LIBS` in the order Unikraft needs, one goal
/// per target with its own `C=` configuration and `O=` build folder, and the other goals
/// passed through to Unikraft's Makefile for the selected target.
public enum MakefileEmitter {
    /// `UK_ROOT` and `UK_LIBS` default to the plan's `makefileDefaults`, relative to the
    /// Makefile's folder unless absolute.
    public static func emit(_ plan: Plan) -> EmittedFile {
        func dir(_ path: String) -> String { path.hasPrefix("/") ? escape(path) : "$(abspath $(HERE)/" + escape(path, inFunction: true) + ")" }
        let libs = plan.libraries.map { $0.isLocalPath ? dir($0.folder) : "$(UK_LIBS)/" + escape($0.folder) }
        let built = plan.targets.filter { !$0.prebuilt }
        let ids = built.map(\.id)
        var m = """
            # Builds \(plan.name) for \(ids.isEmpty ? "no target" : ids.joined(separator: ", ")).
            #   make                 every target
            #   make <target>        one target: \(ids.joined(separator: " "))
            #   make menuconfig-<target>, clean-<target>, properclean-<target>
            #   make clean, make properclean      every target
            #   make <goal> [TARGET=<target>]     any other goal of Unikraft's Makefile
            # Works from any folder (make -f path/to/Makefile).

            HERE := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
            APP_DIR := \(plan.appFolder == "." ? "$(HERE)" : plan.appFolder.hasPrefix("/") ? escape(plan.appFolder) : "$(abspath $(HERE)/" + escape(plan.appFolder, inFunction: true) + ")")
            UK_ROOT ?= \(dir(plan.makefileDefaults.ukRoot))
            UK_LIBS ?= \(dir(plan.makefileDefaults.ukLibs))
            LIBS := \(libs.joined(separator: ":"))
            TARGETS := \(ids.joined(separator: " "))
            TARGET ?= \(ids.first ?? "")

            UK_MAKE = $(MAKE) -C $(UK_ROOT) A=$(APP_DIR) L=$(LIBS)
            # Unikraft's Makefile has a UK_LIBS of its own: 'make UK_LIBS=…' must not reach it.
            MAKEOVERRIDES := $(filter-out UK_LIBS=%,$(MAKEOVERRIDES))
            unexport UK_LIBS

            .PHONY: all clean properclean $(TARGETS)
            all: $(TARGETS)

            # Unikraft resolves O= through its parent folder, which must exist.
            $(HERE)/build:
            	mkdir -p $@

            """
        for target in built {
            let args = "C=$(HERE)/\(target.configFile) O=$(HERE)/\(target.buildFolder) N=\(escape(target.makeName))"
            m += """

                # \(target.platform.rawValue)/\(target.architecture.rawValue): \(target.imagePath)
                \(target.id)_ARGS := \(args)
                .PHONY: menuconfig-\(target.id) clean-\(target.id) properclean-\(target.id)
                \(target.id): | $(HERE)/build
                \t+$(UK_MAKE) $(\(target.id)_ARGS)
                menuconfig-\(target.id): | $(HERE)/build
                \t+$(UK_MAKE) $(\(target.id)_ARGS) menuconfig
                clean-\(target.id): | $(HERE)/build
                \t+$(UK_MAKE) $(\(target.id)_ARGS) clean
                properclean-\(target.id): | $(HERE)/build
                \t+$(UK_MAKE) $(\(target.id)_ARGS) properclean

                """
        }
        m += """

            clean: $(addprefix clean-,$(TARGETS))
            properclean: $(addprefix properclean-,$(TARGETS))

            # Any other goal goes to Unikraft's Makefile, for $(TARGET).
            Makefile: ;
            %:
            \t+$(UK_MAKE) $($(TARGET)_ARGS) $@

            """
        return EmittedFile(path: "Makefile", contents: GeneratedHeader.apply(to: m, source: plan.source))
    }

    /// A value for a variable assignment, `inFunction` when it stands inside `$(…)`: `$`
    /// doubled so that no variable or function can be formed, a line break (which would
    /// start a statement of its own) turned into a space, and, outside a function, `#`
    /// escaped (with the backslashes before it doubled) so that it does not start a comment.
    /// The planner refuses every path that make or Unikraft's shell recipes cannot read back
    /// (`ValueRules.makePathProblem`); this only keeps a value that slipped past it on its line.
    static func escape(_ text: String, inFunction: Bool = false) -> String {
        var out = "", backslashes = 0
        for s in text.unicodeScalars {
            switch s {
            case "$": out += "$$"
            case "\n", "\r": out += " "
            case "#" where !inFunction: out += String(repeating: "\\", count: backslashes) + "\\#"
            default: out.unicodeScalars.append(s)
            }
            backslashes = s == "\\" ? backslashes + 1 : 0
        }
        return out
    }
}
