import TallyCore

/// Giving each customer to a sales rep (SEEDS.md 8: match the territory, balance the load):
/// `assign(customers, reps, value: col, by: region, capacity: col)`.
///
/// The rule (greedy "largest first onto the least loaded", LPT): customers are taken in
/// order of value, largest first (ties by customer key ascending). Each goes to the
/// eligible rep with the smallest `load / capacity` after nothing more than the customers
/// already placed; ties go to the rep whose key sorts first. A rep's load is the sum of its
/// customers' values; capacity defaults to 1, so without capacities loads are balanced
/// outright and with them in proportion (capacity 2 carries about twice the value).
///
/// Eligible reps: when a customer has a group (`by: region`), the reps of the same group;
/// when it has none, every rep. A rep with capacity 0 takes nobody. A customer with no
/// eligible rep is left unassigned with the reason. The input order never changes a result.
/// The greedy rule is a heuristic, not an optimum: its largest load is within 4/3 of the
/// best possible (Graham's bound), and it is easy to explain to the people it affects.
public enum Assignment {
    /// A customer to place.
    public struct Customer: Sendable, Equatable {
        public var key: String
        /// The value to balance (sales, potential). Finite, zero or more.
        public var value: Double
        /// The group it must be matched on (region), or nil.
        public var group: String?
        public init(key: String, value: Double, group: String? = nil) {
            self.key = key; self.value = value; self.group = group
        }
    }

    /// A rep who can take customers.
    public struct Rep: Sendable, Equatable {
        public var key: String
        public var group: String?
        /// Relative capacity (finite, zero or more); nil means 1.
        public var capacity: Double?
        public init(key: String, group: String? = nil, capacity: Double? = nil) {
            self.key = key; self.group = group; self.capacity = capacity
        }
    }

    /// Where one customer went.
    public struct Placement: Sendable, Equatable {
        public var customer: String
        public var value: Double
        public var group: String?
        /// The rep, or nil when unassigned.
        public var rep: String?
        /// Why the customer is unassigned, or nil.
        public var reason: Unassigned?
    }

    /// Why a customer has no rep; the group is the customer's.
    public enum Unassigned: Sendable, Equatable {
        case noRepInGroup(String)
        case noCapacityInGroup(String)
    }

    /// One rep's share of the work.
    public struct Load: Sendable, Equatable {
        public var rep: String
        public var group: String?
        public var capacity: Double
        /// Σ values of its customers.
        public var load: Double
        /// Number of customers.
        public var customers: Int
        /// load / capacity (nil when capacity is 0).
        public var relativeLoad: Double?
    }

    /// How even the loads are.
    public struct Spread: Sendable, Equatable {
        public var min: Double
        public var max: Double
        /// max - min.
        public var difference: Double
        /// max / min, nil when min is 0.
        public var ratio: Double?
    }

    /// The outcome: placements in customer input order, loads in rep input order.
    public struct Result: Sendable, Equatable {
        public var placements: [Placement]
        public var loads: [Load]
        /// Spread of `load` over reps with capacity above 0.
        public var spread: Spread?
        /// Spread of `relativeLoad` over the same reps (equals `spread` without capacities).
        public var relativeSpread: Spread?
        /// Spread of `relativeLoad` within each group, sorted by group (groups of reps only).
        public var groupSpreads: [(group: String, spread: Spread)]

        public static func == (a: Result, b: Result) -> Bool {
            a.placements == b.placements && a.loads == b.loads && a.spread == b.spread && a.relativeSpread == b.relativeSpread
                && a.groupSpreads.map(\.group) == b.groupSpreads.map(\.group)
                && a.groupSpreads.map(\.spread) == b.groupSpreads.map(\.spread)
        }
    }

    /// Why an assignment was refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case noReps
        case duplicateCustomer(String)
        case duplicateRep(String)
        /// A value that is negative, NaN or infinite.
        case badValue(customer: String)
        /// A capacity that is negative, NaN or infinite.
        case badCapacity(rep: String)

        public var description: String {
            switch self {
            case .noReps: return "no reps to assign customers to"
            case .duplicateCustomer(let c): return "customer \(c) is listed twice"
            case .duplicateRep(let r): return "rep \(r) is listed twice"
            case .badValue(let c): return "value of customer \(c) must be a number of zero or more"
            case .badCapacity(let r): return "capacity of rep \(r) must be a number of zero or more"
            }
        }
    }

    /// Assigns `customers` to `reps` by the rule above.
    public static func assign(customers: [Customer], reps: [Rep]) throws(Failure) -> Result {
        guard !reps.isEmpty else { throw .noReps }
        var seen = Set<String>()
        for c in customers {
            guard seen.insert(c.key).inserted else { throw .duplicateCustomer(c.key) }
            guard c.value.isFinite, c.value >= 0 else { throw .badValue(customer: c.key) }
        }
        seen.removeAll()
        for r in reps {
            guard seen.insert(r.key).inserted else { throw .duplicateRep(r.key) }
            if let cap = r.capacity, !(cap.isFinite && cap >= 0) { throw .badCapacity(rep: r.key) }
        }
        let capacity = reps.map { $0.capacity ?? 1 }
        var load = [Double](repeating: 0, count: reps.count)
        var count = [Int](repeating: 0, count: reps.count)
        var placements = customers.map { Placement(customer: $0.key, value: $0.value, group: $0.group, rep: nil, reason: nil) }

        let order = customers.indices.sorted { a, b in
            customers[a].value != customers[b].value ? customers[a].value > customers[b].value : customers[a].key < customers[b].key
        }
        let repOrder = reps.indices.sorted { reps[$0].key < reps[$1].key }
        for ci in order {
            let c = customers[ci]
            let inGroup = repOrder.filter { c.group == nil || reps[$0].group == c.group }
            guard !inGroup.isEmpty else {
                placements[ci].reason = .noRepInGroup(c.group ?? "")
                continue
            }
            var best: Int?
            for r in inGroup where capacity[r] > 0 {
                guard let b = best else { best = r; continue }
                if load[r] / capacity[r] < load[b] / capacity[b] { best = r }
            }
            guard let chosen = best else {
                placements[ci].reason = .noCapacityInGroup(c.group ?? "")
                continue
            }
            load[chosen] += c.value
            count[chosen] += 1
            placements[ci].rep = reps[chosen].key
        }

        let loads = reps.indices.map { i in
            Load(rep: reps[i].key, group: reps[i].group, capacity: capacity[i], load: load[i], customers: count[i],
                 relativeLoad: capacity[i] > 0 ? load[i] / capacity[i] : nil)
        }
        let active = loads.filter { $0.capacity > 0 }
        var groups: [String: [Double]] = [:]
        for l in active { if let g = l.group, let rel = l.relativeLoad { groups[g, default: []].append(rel) } }
        let groupSpreads = groups.keys.sorted().compactMap { g in spread(of: groups[g] ?? []).map { (group: g, spread: $0) } }
        return Result(placements: placements, loads: loads, spread: spread(of: active.map(\.load)),
                      relativeSpread: spread(of: active.compactMap(\.relativeLoad)), groupSpreads: groupSpreads)
    }

    /// min, max, difference and ratio of `xs`; nil when empty.
    static func spread(of xs: [Double]) -> Spread? {
        guard let lo = xs.min(), let hi = xs.max() else { return nil }
        return Spread(min: lo, max: hi, difference: hi - lo, ratio: lo > 0 ? hi / lo : nil)
    }
}
