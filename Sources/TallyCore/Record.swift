/// An ordered map from field name to value (`{Tmall: 50, JD: 30}`).
public struct Record: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: Value)]

    public init(_ fields: [(name: String, value: Value)] = []) { self.fields = [] ; for f in fields { self[f.name] = f.value } }

    public var names: [String] { fields.map(\.name) }
    public var count: Int { fields.count }

    public subscript(name: String) -> Value? {
        get { fields.first { $0.name == name }?.value }
        set {
            if let i = fields.firstIndex(where: { $0.name == name }) {
                if let v = newValue { fields[i].value = v } else { fields.remove(at: i) }
            } else if let v = newValue {
                fields.append((name, v))
            }
        }
    }

    public static func == (a: Record, b: Record) -> Bool {
        a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
