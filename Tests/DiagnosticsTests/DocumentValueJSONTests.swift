import Testing
import Diagnostics

@Suite struct DocumentValueJSONTests {
    @Test func jsonIsEscapedAndOrdered() {
        let value = DocumentValue.map([("b", .string("q\"\\\n\u{01}é")), ("a", .list([.int(1), .bool(true), .null])), ("e", .map([]))])
        #expect(value.json() == """
            {
              "b": "q\\"\\\\\\n\\u0001é",
              "a": [
                1,
                true,
                null
              ],
              "e": {}
            }

            """)
    }
}
