import TallyCore

extension Registry {
    /// collect: a local copy of a remote table (or of any table expression over one).
    static let remoteFunctions: [Builtin] = [
        Builtin("collect", category: .table, parameters: [.required("t", .table, help: "a table; a remote table is fetched")],
                summary: "A local copy of a table: for a remote table (load postgres), all its rows fetched from the server.",
                details: """
                A remote table stays on its server and each formula over it runs there; `c = collect(o)` fetches the
                rows once into the workspace (a formula: `reload o` fetches them again). A local table is itself.
                """,
                example: "collect(table(x: [1, 2]))") { ctx in
            .table(try ctx.table("t"))
        },
    ]
}
