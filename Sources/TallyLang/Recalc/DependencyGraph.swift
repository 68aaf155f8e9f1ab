/// Recalculation order over the workspace graph, after observablehq/runtime: the
/// transitive closure of the changed cells, indegrees inside it, then a Kahn queue.
/// Nothing here recurses, so chains of any length are safe, and each walk costs what it
/// visits, not the size of the workspace.
enum DependencyGraph {
    /// The path `name -> ... -> name` that defining `name` with `dependencies` would
    /// close, or nil when the definition is acyclic. A cycle needs a dependency that
    /// itself depends on `name`, so the search walks forward from `name` through its
    /// dependents: a new name costs nothing, a redefinition what it would recalculate.
    static func cycle(defining name: String, dependencies: Set<String>, in ws: Workspace) -> [String]? {
        if dependencies.contains(name) { return [name, name] }
        guard ws[name] != nil, !dependencies.isEmpty else { return nil }
        // Breadth-first over the dependents of `name`; parents rebuild the shortest path.
        var parent: [String: String] = [:]
        var queue = [name]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for d in ws.sorted(ws.dependents[node] ?? []) where parent[d] == nil && d != name && ws[d]?.dependencies.contains(node) == true {
                parent[d] = node
                if dependencies.contains(d) {
                    // name -> d means name now refers to d; d reaches name through parents.
                    var chain = [d]
                    var p = d
                    while let up = parent[p], up != name { chain.append(up); p = up }
                    return [name] + chain + [name]
                }
                queue.append(d)
            }
        }
        return nil
    }

    /// The cycle among a table's computed columns (`t.y = x + 1` then `t.x = y`), as
    /// `t.x -> t.y -> t.x`, or nil. A formula depends on the formula of every column it
    /// names.
    static func columnCycle(_ formulas: [ColumnFormula], table: String, changed: String? = nil) -> [String]? {
        var refs: [String: [String]] = [:]
        let defined = Set(formulas.map(\.column))
        for f in formulas { refs[f.column] = f.expr.names.filter { defined.contains($0) }.sorted() }
        // The changed column first, so the path starts where the user typed.
        for f in formulas.filter({ $0.column == changed }) + formulas.filter({ $0.column != changed }) {
            // Depth-first from the formula's references, looking for its own column.
            var parent: [String: String] = [:]
            var stack = refs[f.column] ?? []
            var visited = Set(stack)
            for s in stack { parent[s] = f.column }
            while let c = stack.popLast() {
                if c == f.column {
                    var path = [c]
                    var p = parent[c]
                    while let q = p, q != f.column { path.append(q); p = parent[q] }
                    path.append(f.column)
                    return path.reversed().map { "\(table).\($0)" }
                }
                for r in refs[c] ?? [] where visited.insert(r).inserted || r == f.column {
                    parent[r] = c
                    stack.append(r)
                }
            }
        }
        return nil
    }

    /// Every cell that depends, directly or not, on one of `roots`, in an order where each
    /// cell comes after everything it refers to. The roots come too when `includingRoots`.
    /// A table's computed columns (`ColumnNode`) need no places of their own: they depend
    /// on the table's formula and on earlier columns only, so they run in order on their
    /// table's turn, those a change reaches (`Recomputation`).
    static func recalculationOrder(after roots: [String], in ws: Workspace, includingRoots: Bool = false) -> [String] {
        // 1. Transitive closure of the dependents.
        var closure = dependents(of: roots, in: ws)
        if includingRoots { closure.formUnion(roots.filter { ws[$0] != nil }) } else { for r in roots { closure.remove(r) } }
        return topologicalOrder(closure, in: ws)
    }

    /// Every cell that refers, directly or not, to one of `roots` (roots excluded unless a
    /// cycle led back to them, which definitions refuse).
    static func dependents(of roots: some Sequence<String>, in ws: Workspace) -> Set<String> {
        var closure = Set<String>()
        var stack = Array(roots)
        while let n = stack.popLast() {
            for d in ws.dependents[n] ?? [] where ws[d] != nil && closure.insert(d).inserted { stack.append(d) }
        }
        return closure
    }

    /// `names` ordered so that each comes after the names of the set it refers to.
    static func topologicalOrder(_ names: Set<String>, in ws: Workspace) -> [String] {
        // 2. Indegrees counted only over edges inside the set.
        var indegree: [String: Int] = [:]
        for n in names {
            indegree[n] = ws[n]?.dependencies.filter { names.contains($0) }.count ?? 0
        }
        // 3. Kahn's queue, seeded in definition order so output is deterministic.
        var queue = ws.sorted(names.filter { indegree[$0] == 0 })
        var head = 0
        var out: [String] = []
        out.reserveCapacity(names.count)
        while head < queue.count {
            let n = queue[head]
            head += 1
            out.append(n)
            var ready: [String] = []
            for d in ws.dependents[n] ?? [] where names.contains(d) && ws[d]?.dependencies.contains(n) == true {
                indegree[d, default: 0] -= 1
                if indegree[d] == 0 { ready.append(d) }
            }
            queue += ws.sorted(ready)
        }
        // 4. Anything left over would be circular; definitions refuse cycles, so none is.
        return out
    }

    /// Every cell in definition order, except that a cell always comes after the cells
    /// it refers to (a plan replays in this order; it is the definition order whenever
    /// that order works).
    static func definitionOrder(_ ws: Workspace) -> [String] {
        var out: [String] = []
        var placed = Set<String>()
        for root in ws.order where !placed.contains(root) {
            // Depth-first without recursion: a cell is placed once its dependencies are.
            var stack: [(String, Bool)] = [(root, false)]
            while let (n, expanded) = stack.popLast() {
                if placed.contains(n) { continue }
                if expanded {
                    placed.insert(n)
                    out.append(n)
                    continue
                }
                stack.append((n, true))
                for d in ws.sorted(ws[n]?.dependencies ?? []).reversed() where !placed.contains(d) { stack.append((d, false)) }
            }
        }
        return out
    }

    /// Every cell `name` depends on, directly or not.
    static func ancestors(of name: String, in ws: Workspace) -> Set<String> {
        var out = Set<String>()
        var stack = [name]
        while let n = stack.popLast() {
            for d in ws[n]?.dependencies ?? [] where out.insert(d).inserted { stack.append(d) }
        }
        return out
    }
}
