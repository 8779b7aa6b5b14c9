import Foundation
import TestSupport
import Testing
import Emitters

/// An app folder with a miniature Unikraft (`uk/`) and a library (`lib/`), both local
/// sources, whose Makefile downloads the library's origin through `$(WGET)` the way
/// Unikraft's `fetchas` does (`$(WGET) -q --show-progress --progress=bar -O FILE URL ||
/// rm FILE`), then writes an "image" holding `$(HOSTUTC)` and the origin's bytes (and the
/// build folder's path when the app folder has a file `unstable`).
struct FakeOriginTree {
    let root: URL
    var app: URL { root.appendingPathComponent("app") }
    /// The origin cache every run of this tree uses (`XDG_CACHE_HOME`).
    var cache: URL { root.appendingPathComponent("cache") }

    static let makefile = """
        # A fake Unikraft whose library downloads its origin through $(WGET).
        .DEFAULT_GOAL := all
        WGET := wget
        HOSTUTC := $(shell date -Iseconds -u)
        include $(addsuffix /Makefile.uk,$(subst :, ,$(L)))
        IMAGE := $(O)/$(N)_qemu-x86_64
        ORIGIN := $(O)/libfoo/$(notdir $(LIBFOO_URL))
        $(ORIGIN):
        \t@mkdir -p $(dir $@)
        \t@$(WGET) -q --show-progress --progress=bar -O $@ $(LIBFOO_URL) || rm -f $@
        fetch: $(ORIGIN)
        all: fetch
        \t@test -f $(ORIGIN) || { echo "tar: $(ORIGIN): Cannot open"; exit 2; }
        \t@printf 'image of $(N) built at $(HOSTUTC)\\n' > $(IMAGE)
        \t@if test -f $(A)/unstable; then echo "$(O)" >> $(IMAGE); fi
        \t@cat $(ORIGIN) >> $(IMAGE)
        %:
        \t@echo "fake unikraft: $@"

        """

    /// `url`: the origin the library downloads; `stated`: the hash its Library.uk states.
    init(url: String, stated: String? = nil) throws {
        root = try CommandLineTests.temporaryFolder([
            "app/uk/Config.uk": FakeUnikraft.configUK,
            "app/uk/Makefile": Self.makefile,
            "app/uk/version.mk": "UK_VERSION = 0\nUK_SUBVERSION = 17\nUK_EXTRAVERSION = 0\nUK_CODENAME = Fake\n",
            "app/lib/Config.uk": "config LIBFOO\n\tbool \"foo\"\n",
            "app/lib/Makefile.uk": "LIBFOO_URL := \(url)\n",
            "app/lib/Library.uk": "name := \"foo\"\nlicense := \"MIT\"\n" + (stated.map { "version := 1.0 sha256:\($0) \(url)\n" } ?? ""),
            "app/main.c": "int main(void) { return 0; }\n",
            "app/Makefile.uk": "",
            "app/kraft.yaml": "spec: v0.6\nname: hello\nunikraft:\n  source: ./uk\nlibraries:\n  foo:\n    source: ./lib\ntargets: [qemu/x86_64]\n",
            "served/foo-1.0.tar.gz": "origin content v1\n",
        ])
    }

    /// manifestc in `folder` (default: the app), with this tree's origin cache.
    func manifestc(_ arguments: [String], in folder: URL? = nil, cache: URL? = nil) throws -> ProcessOutput {
        try CommandLineTests.run(arguments, in: folder ?? app, environment: ["XDG_CACHE_HOME": (cache ?? self.cache).path])
    }

    /// A copy of the app folder (sources, manifest and kraft.lock; no build) elsewhere.
    func copyOfApp(_ name: String) throws -> URL {
        let copy = root.appendingPathComponent(name)
        try FileManager.default.copyItem(at: app, to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent("build"))
        return copy
    }

    var image: String { "build/qemu-x86_64/hello_qemu-x86_64" }

    func bytes(_ path: String, in folder: URL? = nil) -> Data? {
        try? Data(contentsOf: (folder ?? app).appendingPathComponent(path))
    }

    func text(_ path: String, in folder: URL? = nil) -> String {
        bytes(path, in: folder).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func sha256(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }
    static func sha256Bytes(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
