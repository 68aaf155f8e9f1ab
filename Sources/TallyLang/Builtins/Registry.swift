/// The one registry of built-in functions: evaluation, `help`, completion and the
/// "every example runs" test all read it.
public struct Registry: Sendable {
    private var byName: [String: Builtin] = [:]
    /// Every function once, in name order.
    public private(set) var all: [Builtin] = []

    /// Every built-in's results pass through `finiteResults()`, so a function cannot hand
    /// out an infinity or a NaN (it becomes `#NUM!`).
    public init(_ builtins: [Builtin]) {
        let builtins = builtins.map { $0.finiteResults() }
        for b in builtins {
            precondition(byName[b.name] == nil, "duplicate built-in \(b.name)")
            byName[b.name] = b
            for a in b.aliases {
                precondition(byName[a] == nil, "duplicate built-in \(a)")
                byName[a] = b
            }
        }
        all = builtins.sorted { $0.name < $1.name }
    }

    /// The standard library of the language.
    public static let standard = Registry(
        Registry.mathFunctions + Registry.aggregateFunctions + Registry.logicFunctions
            + Registry.textFunctions + Registry.dateFunctions + Registry.tableFunctions + Registry.groupingFunctions
            + Registry.sparklineFunctions + Registry.splitFunctions + Registry.calendarFunctions + Registry.planningFunctions + Registry.rfmFunctions + Registry.abcFunctions + Registry.kpiFunctions + Registry.windowFunctions + Registry.periodFunctions + Registry.remoteFunctions)

    public func lookup(_ name: String) -> Builtin? { byName[name] }

    /// Every callable name, aliases included.
    public var names: [String] { byName.keys.sorted() }
}
