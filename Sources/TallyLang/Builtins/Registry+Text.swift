import TallyCore

extension Registry {
    /// upper, lower, len, concat, trim, left, right, contains, replace.
    static let textFunctions: [Builtin] = [
        textual("upper", [.required("x", .text)], "The text in capital letters.", "upper(\"tmall\")") { a in
            .text(try a.text("x").uppercased())
        },
        textual("lower", [.required("x", .text)], "The text in small letters.", "lower(\"JD.com\")") { a in
            .text(try a.text("x").lowercased())
        },
        textual("len", [.required("x", .text)], "The number of characters of a text (华东 has 2).", "len(\"华东区\")") { a in
            .num(Double(try a.text("x").count))
        },
        textual("trim", [.required("x", .text)], "The text without spaces (and tabs, line breaks) at either end.",
                "trim(\"  JD  \")") { a in
            let s = try a.text("x")
            guard let first = s.firstIndex(where: { !$0.isWhitespace }),
                  let last = s.lastIndex(where: { !$0.isWhitespace }) else { return .text("") }
            return .text(String(s[first...last]))
        },
        textual("left", [.required("x", .text), .optional("n", .num(1), .wholeNumber)], "The first n characters of a text.",
                "left(\"2026-07-01\", 4)") { a in
            .text(String(try a.text("x").prefix(try characters(a, "left"))))
        },
        textual("right", [.required("x", .text), .optional("n", .num(1), .wholeNumber)], "The last n characters of a text.",
                "right(\"ORD-00042\", 5)") { a in
            .text(String(try a.text("x").suffix(try characters(a, "right"))))
        },
        textual("contains", [.required("x", .text), .required("part", .text)],
                "True when the text contains `part` (capitals matter).", "contains(\"Tmall Global\", \"Tmall\")") { a in
            let x = try a.text("x"), part = try a.text("part")
            return .bool(part.isEmpty || x.contains(part))
        },
        textual("replace", [.required("x", .text), .required("old", .text), .required("new", .text)],
                "The text with every occurrence of `old` replaced by `new`.",
                "replace(\"JD-East\", \"-\", \" \")") { a in
            let x = try a.text("x"), old = try a.text("old"), new = try a.text("new")
            guard !old.isEmpty else { throw ErrorValue(.value, "replace: `old` must not be the empty text") }
            return .text(x.replacing(old, with: new))
        },
        Builtin("concat", category: .text, parameters: [.variadic("values")],
                summary: "Joins the text forms of its arguments (as `&` does).",
                details: "Numbers join in plain form (1234.5), dates as 2026-07-01, empty cells as nothing. "
                    + "Lists and columns are joined element by element: concat(t.region, \"-\", t.channel) "
                    + "gives a column.",
                example: "concat(\"Q\", 3, \" 2026\")") { a in
            try broadcastRest(a) { row in
                if let e = row.first(where: \.isError) { return e }
                if let t = row.first(where: { if case .table = $0 { return true } else { return false } }) {
                    return .error(ErrorValue(.value, "concat joins texts, not a \(t.typeName); give it a column such as t.name"))
                }
                let parts = row.map(Operators.display)
                if let e = Operators.textTooLong(parts.reduce(0) { $0 + $1.utf8.count }) { throw e }
                return .text(parts.joined())
            }
        },
    ]

    /// An elementwise text function; an empty argument gives an empty result.
    private static func textual(_ name: String, _ parameters: [Parameter], _ summary: String, _ example: String,
                                _ body: @escaping @Sendable (Arguments) throws -> Value) -> Builtin {
        Builtin(name, category: .text, parameters: parameters, summary: summary,
                details: "Works element by element over a list or column of texts; a number is not a text "
                    + "(#VALUE!): turn it into one with concat(x).",
                example: example, elementwise: true) { a in
            if a.named.values.contains(where: \.isEmpty) { return .empty }
            return try body(a)
        }
    }

    /// The character count `n` of left and right: a whole number, not negative.
    private static func characters(_ a: Arguments, _ name: String) throws -> Int {
        let n = try a.integer("n")
        guard n >= 0 else { throw ErrorValue(.value, "\(name): `n` must not be negative, got \(n)") }
        return n
    }
}
