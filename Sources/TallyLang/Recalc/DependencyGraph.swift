/// Recalculation order over the workspace graph, after observablehq/runtime: the
/// transitive closure of the changed cells, indegrees inside it, then a Kahn queue.
enum DependencyGraph {
    /// The path `name -> ... -> name` that defining `name` with `dependencies` would
    /// close, or nil when the definition is acyclic.
    static func cycle(defining name: String, dependencies: Set<String>, in ws: Workspace) -> [String]? {
        if dependencies.contains(name) { return [name, name] }
        // Depth-first from each dependency, looking for `name`.
        var visited = Set<String>()
        func search(_ node: String, _ path: [String]) -> [String]? {
            guard visited.insert(node).inserted, let cell = ws[node] else { return nil }
            for d in cell.dependencies.sorted() {
                if d == name { return path + [node, name] }
                if let p = search(d, path + [node]) { return p }
            }
            return nil
        }
        for d in dependencies.sorted() {
            if let p = search(d, [name]) { return p }
        }
        return nil
    }

    /// Every cell that depends, directly or not, on one of `roots` (roots excluded),
    /// in an order where each cell comes after everything it refers to.
    static func recalculationOrder(after roots: [String], in ws: Workspace) -> [String] {
        // 1. Transitive closure of the dependents.
        var closure = Set<String>()
        var stack = roots
        while let n = stack.popLast() {
            for d in ws.dependents[n] ?? [] where closure.insert(d).inserted { stack.append(d) }
        }
        for r in roots { closure.remove(r) }
        // 2. Indegrees counted only over edges inside the closure.
        var indegree: [String: Int] = [:]
        for n in closure {
            indegree[n] = ws[n]?.dependencies.filter { closure.contains($0) }.count ?? 0
        }
        // 3. Kahn's queue, seeded in definition order so output is deterministic.
        var queue = ws.order.filter { closure.contains($0) && indegree[$0] == 0 }
        var head = 0
        var out: [String] = []
        out.reserveCapacity(closure.count)
        while head < queue.count {
            let n = queue[head]
            head += 1
            out.append(n)
            for d in ws.dependents[n] ?? [] where closure.contains(d) {
                indegree[d, default: 0] -= 1
                if indegree[d] == 0 { queue.append(d) }
            }
        }
        // 4. Anything left over would be circular; definitions refuse cycles, so none is.
        return out
    }
}
