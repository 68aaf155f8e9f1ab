import TallyCore

extension CommandParser {
    /// `load postgres "postgresql://user@host/db" table "orders" as o` or
    /// `... query "select ..." as o`.
    mutating func loadPostgres() throws(TallyError) -> Command {
        let usage = "load postgres \"postgresql://user@host:5432/db\" table \"orders\" as o  (or query \"select ...\" as o)"
        _ = advance()
        let (url, urlSpan) = try text("the server URL", usage)
        let relation: RemoteRelation
        if isWord("table") {
            _ = advance()
            relation = .table(try text("the table name", usage).0)
        } else if isWord("query") {
            _ = advance()
            relation = .query(try text("the query", usage).0)
        } else {
            throw TallyError(.syntax("expected `table` or `query`, found \(parser.describe(current))"), span: current.span, hint: usage)
        }
        try expectWord("as", usage)
        let n = try name("a name for the table: ... as orders", usage)
        try end(usage)
        return .load(LoadSpec(source: .postgres(url: url, relation: relation), name: n.name, pathSpan: urlSpan, nameSpan: n.span))
    }
}
