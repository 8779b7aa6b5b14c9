import Manifest
import Testing
import TestSupport
import Kconfig
@testable import Planner

/// conf's environment comes from each release's own Makefile (issue 18).
@Suite struct UnikraftMakefileTests {
    /// A miniature 0.14.0: its Makefile names the app's submenu file in `KCONFIG_APP_IN`, passes
    /// `$(E)` as the external platforms (as 0.14.0 does), and its `Config.uk` sources the app's
    /// options through that variable.
    static var files014: [String: String] {
        [
            "/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 14\nUK_EXTRAVERSION = 0\nUK_CODENAME = Prometheus\n",
            "/uk/Makefile": """
            UMASK = 0022
            ifneq ($(shell umask),$(UMASK))
            _all:
            	@umask $(UMASK) && $(MAKE) --no-print-directory $(MAKECMDGOALS)
            else # umask
            # KConfig settings
            KCONFIG_DIR           := $(BUILD_DIR)/kconfig
            KCONFIG_LIB_IN        := $(KCONFIG_DIR)/libs.uk
            KCONFIG_EPLAT_DIRS    := $(E)
            KCONFIG_APP_IN        := $(KCONFIG_DIR)/app.uk   # the app's submenu
            ifneq ($(CONFIG_UK_BASE),$(CONFIG_UK_APP))
            KCONFIG_EAPP_DIR      := $(CONFIG_UK_APP)
            else
            KCONFIG_EAPP_DIR      :=
            endif
            HOSTCC_VERSION := $(shell gcc --version)
            export UK_FULLVERSION := $(UK_VERSION).$(UK_SUBVERSION)$(shell cd $(CONFIG_UK_BASE); ./gitsha1)
            export SHELL

            COMMON_CONFIG_ENV = \\
            \tCC=$(CC)\\
            \tCONFIG_="CONFIG_" \\
            \tHOST_GCC_VERSION="$(HOSTCC_VERSION)" \\
            \tUK_BASE="$(CONFIG_UK_BASE)" \\
            \tUK_APP="$(CONFIG_UK_APP)" \\
            \tKCONFIG_LIB_IN="$(KCONFIG_LIB_IN)" \\
            \tKCONFIG_EPLAT_DIRS="$(KCONFIG_EPLAT_DIRS)" \\
            \tKCONFIG_APP_IN="$(KCONFIG_APP_IN)" \\
            \tKCONFIG_EAPP_DIR="$(KCONFIG_EAPP_DIR)" \\
            \tUK_NAME="$(CONFIG_UK_NAME)"

            defconfig: $(KCONFIG_DIR)/conf
            \t@$(COMMON_CONFIG_ENV) $< --defconfig=$(DEFCONFIG) $(CONFIG_CONFIG_IN)

            """,
            "/uk/Config.uk": """
            mainmenu "Unikraft/$(UK_FULLVERSION) Configuration"
            config NO_APP
            \tdef_bool $(shell,test $(UK_BASE) = $(UK_APP) && echo y || echo n)
            if !NO_APP
            \tsource "$(shell,$(UK_BASE)/support/build/config-submenu.sh -q -o '$(KCONFIG_APP_IN)' -t "Application Options" -l '$(KCONFIG_EAPP_DIR)')"
            endif

            """,
            "/apps/hello/Config.uk": "config APP_OPT\n\tbool \"app option\"\n\tdefault y\n",
        ]
    }

    static let tree = UnikraftTree(base: "/uk", excludes: ["/ext/skipped"], app: "/apps/hello", buildDirectory: "/build",
                                   name: "hello", hostArch: "x86_64")

    @Test func environmentIsTheMakefiles() {
        let (env, gaps, d) = Self.tree.environment(fileSystem: InMemoryKconfigFileSystem(files: Self.files014))
        #expect(d.isEmpty)
        #expect(env == [
            "CC": "gcc", "CONFIG_": "CONFIG_", "UK_BASE": "/uk", "UK_APP": "/apps/hello",
            "KCONFIG_LIB_IN": "/build/kconfig/libs.uk", "KCONFIG_EPLAT_DIRS": "/ext/skipped",
            "KCONFIG_APP_IN": "/build/kconfig/app.uk", "KCONFIG_EAPP_DIR": "/apps/hello", "UK_NAME": "hello",
            "UK_FULLVERSION": "0.14.0",
        ])
        #expect(gaps.unknown.keys.sorted() == ["HOST_GCC_VERSION", "SHELL"])
        var noApp = Self.tree
        noApp.app = nil
        #expect(noApp.environment(fileSystem: InMemoryKconfigFileSystem(files: Self.files014)).environment["KCONFIG_EAPP_DIR"] == "")
    }

    @Test func unikraft014KeepsTheApplicationOptions() {
        let (kconfig, d) = Self.tree.load(fileSystem: InMemoryKconfigFileSystem(files: Self.files014))
        #expect(d.isEmpty, "\(d)")
        let (config, _) = kconfig.evaluate(seed: [])
        #expect(ConfigWriter.write(config).contains("# Application Options\n#\nCONFIG_APP_OPT=y\n# end of Application Options\n"))
    }

    /// A `source` path built from a variable the Makefile does not give conf is an error where it is read.
    @Test func sourceFromAVariableConfLacksIsAnError() {
        var files = Self.files014
        files["/uk/Config.uk"]! += "source \"$(KCONFIG_DRIV_IN)/Config.uk\"\nsource \"$(HOST_GCC_VERSION)\"\n"
        let (_, d) = Self.tree.load(fileSystem: InMemoryKconfigFileSystem(files: files))
        let errors = d.filter { $0.severity == .error }
        #expect(errors.map(\.id) == ["kconfig-environment", "kconfig-environment"])
        #expect(errors.map { $0.location.map { "\($0.file):\($0.range.start.line)" } ?? "" } == ["/uk/Config.uk:7", "/uk/Config.uk:8"])
        #expect(errors.first?.message == "'$(KCONFIG_DRIV_IN)' is not in the environment '/uk/Makefile' gives conf; conf would read it from the caller's environment, which a plan does not depend on")
        #expect(errors.last?.message.hasPrefix("'$(HOST_GCC_VERSION)' is in the environment '/uk/Makefile' gives conf, but manifestc cannot compute its value") == true)
    }

    @Test func conditionalsAndAssignments() {
        let makefile = UnikraftMakefile(text: """
            A := one
            B = $(A) two
            ifeq ($(A),one)
              C := yes
            else ifeq ($(A),two)
              C := no
            else
              C := neither
            endif
            ifdef UNSET
              D := set
            endif
            ifeq ($(shell uname),Linux)
              E := maybe
            endif
            A := three
            F ?= kept
            F ?= not
            G := g
            G += h
            export H := $$x # a comment
            COMMON_CONFIG_ENV = X_B="$(B)" X_C="$(C)" X_D="$(D)" X_E="$(E)" X_F="$(F)" X_G=$(G) X_I="$(IN)"
            """)!
        let (env, unknown) = makefile.environment(inputs: ["IN": "input", "A": "fixed"])
        #expect(env == ["X_B": "fixed two", "X_C": "neither", "X_D": "", "X_F": "kept", "X_I": "input", "H": "$x"])
        #expect(unknown.keys.sorted() == ["X_E", "X_G"])
    }
}

/// A tree's Makefile is input too: evaluating it is bounded.
@Suite(.tags(.security)) struct SecurityUnikraftMakefileTests {
    /// Each recursive variable references the next twice, down to an empty one: 2^40 references
    /// if expanded naively, with no text to hit the length bound.
    @Test func exponentialRecursiveVariablesBecomeUnknown() {
        var text = "V40 =\n"
        for i in stride(from: 39, through: 0, by: -1) { text += "V\(i) = $(V\(i + 1))$(V\(i + 1))\n" }
        text += "COMMON_CONFIG_ENV = BIG=\"$(V0)\"\n"
        let (env, unknown) = UnikraftMakefile(text: text)!.environment(inputs: [:])
        #expect(env["BIG"] == nil)
        #expect(unknown["BIG"] != nil)
    }

    /// A value that doubles with `:=` is cut at the length bound rather than filling memory.
    @Test func doublingSimpleVariablesStopAtTheLengthBound() {
        var text = "V0 := xxxxxxxxxxxxxxxx\n"
        for i in 1...40 { text += "V\(i) := $(V\(i - 1))$(V\(i - 1))\n" }
        text += "COMMON_CONFIG_ENV = BIG=\"$(V40)\"\n"
        let (env, unknown) = UnikraftMakefile(text: text)!.environment(inputs: [:])
        #expect(env["BIG"] == nil && unknown["BIG"] != nil)
    }
}
