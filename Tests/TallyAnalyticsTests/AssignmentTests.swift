import Testing
@testable import TallyAnalytics

/// Customers to reps: largest first onto the least-loaded rep, matched by group.
struct AssignmentTests {
    /// The SEEDS.md 1 customers and their sales.
    static let agents: [Assignment.Customer] = [
        .init(key: "agent_1", value: 800), .init(key: "agent_2", value: 1300), .init(key: "agent_3", value: 1100),
        .init(key: "agent_4", value: 900), .init(key: "agent_5", value: 1200), .init(key: "agent_6", value: 2000),
    ]

    @Test("balancing SEEDS.md customers over two reps")
    func balance() throws {
        let r = try Assignment.assign(customers: Self.agents, reps: [.init(key: "Wang"), .init(key: "Li")])
        // 2000 -> Li (tie, key order), 1300 -> Wang, 1200 -> Wang (1300 < 2000), 1100 -> Li,
        // 900 -> Wang (2500 < 3100), 800 -> Li (3100 < 3400).
        #expect(r.placements.map { $0.rep } == ["Li", "Wang", "Li", "Wang", "Wang", "Li"])
        #expect(r.loads.map(\.load) == [3400, 3900])
        #expect(r.loads.map(\.customers) == [3, 3])
        #expect(r.spread == Assignment.Spread(min: 3400, max: 3900, difference: 500, ratio: 3900.0 / 3400))
        #expect(r.relativeSpread == r.spread)
        #expect(r.groupSpreads.isEmpty)
    }

    @Test("input order changes nothing")
    func orderFree() throws {
        let reps: [Assignment.Rep] = [.init(key: "A"), .init(key: "B"), .init(key: "C")]
        let a = try Assignment.assign(customers: Self.agents, reps: reps)
        let b = try Assignment.assign(customers: Self.agents.reversed(), reps: reps.reversed())
        let placed = Dictionary(uniqueKeysWithValues: b.placements.map { ($0.customer, $0.rep) })
        for p in a.placements { #expect(placed[p.customer] == p.rep) }
        #expect(a.loads.map(\.load) == b.loads.reversed().map(\.load))
    }

    @Test("matching by region; a region without reps leaves its customers unassigned")
    func regions() throws {
        let customers: [Assignment.Customer] = [
            .init(key: "c1", value: 500, group: "east"), .init(key: "c2", value: 400, group: "east"),
            .init(key: "c3", value: 300, group: "east"), .init(key: "c4", value: 700, group: "west"),
            .init(key: "c5", value: 100, group: "north"), .init(key: "c6", value: 50, group: nil),
        ]
        let reps: [Assignment.Rep] = [.init(key: "e1", group: "east"), .init(key: "e2", group: "east"), .init(key: "w1", group: "west")]
        let r = try Assignment.assign(customers: customers, reps: reps)
        #expect(r.placements.map(\.rep) == ["e1", "e2", "e2", "w1", nil, "e1"])
        #expect(r.placements[4].reason == .noRepInGroup("north"))
        #expect(r.loads.map(\.load) == [550, 700, 700])
        #expect(r.groupSpreads.map(\.group) == ["east", "west"])
        #expect(r.groupSpreads.first?.spread.difference == 150)
    }

    @Test("capacity weights the balance")
    func capacity() throws {
        let customers = (1...9).map { Assignment.Customer(key: "c\($0)", value: 100) }
        let r = try Assignment.assign(customers: customers, reps: [.init(key: "senior", capacity: 2), .init(key: "junior", capacity: 1),
                                                                    .init(key: "away", capacity: 0)])
        #expect(r.loads.map(\.load) == [600, 300, 0])
        #expect(r.loads.map(\.relativeLoad) == [300, 300, nil])
        #expect(r.relativeSpread?.difference == 0)
        #expect(r.spread?.ratio == 2)
    }

    @Test("capacity 0 everywhere in a group leaves customers unassigned")
    func allAway() throws {
        let r = try Assignment.assign(customers: [.init(key: "c", value: 1, group: "g")], reps: [.init(key: "r", group: "g", capacity: 0)])
        #expect(r.placements[0].rep == nil)
        #expect(r.placements[0].reason == .noCapacityInGroup("g"))
    }

    @Test("refusals")
    func refusals() {
        #expect(throws: Assignment.Failure.noReps) { try Assignment.assign(customers: Self.agents, reps: []) }
        #expect(throws: Assignment.Failure.duplicateRep("a")) {
            try Assignment.assign(customers: [], reps: [.init(key: "a"), .init(key: "a")])
        }
        #expect(throws: Assignment.Failure.duplicateCustomer("x")) {
            try Assignment.assign(customers: [.init(key: "x", value: 1), .init(key: "x", value: 2)], reps: [.init(key: "a")])
        }
        #expect(throws: Assignment.Failure.badValue(customer: "x")) {
            try Assignment.assign(customers: [.init(key: "x", value: .nan)], reps: [.init(key: "a")])
        }
        #expect(throws: Assignment.Failure.badValue(customer: "x")) {
            try Assignment.assign(customers: [.init(key: "x", value: -1)], reps: [.init(key: "a")])
        }
        #expect(throws: Assignment.Failure.badCapacity(rep: "a")) {
            try Assignment.assign(customers: [], reps: [.init(key: "a", capacity: -1)])
        }
    }
}
