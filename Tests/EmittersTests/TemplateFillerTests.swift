import Foundation
import Testing
@testable import Emitters

/// Placeholders are filled in one pass: a value is never scanned again, and `@` that opens no
/// placeholder (bash's `${a[@]}`, an e-mail address) stays as it is.
@Suite struct TemplateFillerTests {
    @Test func valuesAreInsertedOnceAndNeverRescanned() {
        #expect(TemplateFiller.fill("a @X@ b @Y_2@ @X@", ["X": "@Y_2@", "Y_2": "$(x)"]) == "a @Y_2@ b $(x) @Y_2@")
    }

    @Test func anAtThatOpensNoPlaceholderStays() {
        #expect(TemplateFiller.fill("${a[@]} me@host @lower@ @@ @X@", ["X": "1"]) == "${a[@]} me@host @lower@ @@ 1")
    }

    /// Every emitted script template fills without a placeholder left over (a leftover or an
    /// unused value stops the emitter).
    @Test func theScriptTemplatesHaveNoLeftoverPlaceholder() throws {
        for file in try GoldenTests.emit("httpreply") where file.executable {
            #expect(file.contents.range(of: #"@[A-Z][A-Z0-9_]*@"#, options: .regularExpression) == nil, "\(file.path)")
        }
    }
}
