import Testing
import TallyCore
import TallyLang
@testable import TallyREPL

/// The message catalogue and the rendering of typed notes.
struct CatalogueTests {
    /// The `{n}` placeholders of a template.
    static func placeholders(_ s: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.insert(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    @Test("every key has English and Chinese text with the same arguments", arguments: MessageKey.allCases)
    func everyKeyIsComplete(_ key: MessageKey) throws {
        let entry = try #require(Catalogue.entries[key], "no catalogue entry for \(key)")
        #expect(!entry.en.isEmpty && !entry.zh.isEmpty)
        // Chinese may leave out an argument English needs (a segment's English name beside its Chinese one), never add one.
        let omitted: Set<MessageKey> = [.whySegmentNamed]
        if omitted.contains(key) {
            #expect(Self.placeholders(entry.zh).isSubset(of: Self.placeholders(entry.en)), "\(key)")
        } else {
            #expect(Self.placeholders(entry.en) == Self.placeholders(entry.zh), "\(key)")
        }
        if key.rawValue.hasPrefix("noun") { #expect(entry.en.split(separator: "|").count == 2, "\(key) needs singular|plural") }
    }

    @Test("thresholds show enough digits to decide a comparison", arguments: [
        (2.9975, NumberFormat.plain, 2, "2.998"),
        (3.0, .plain, 2, "3"),
        (4.2, .plain, 2, "4.20"),
        (4.2, .plain, 0, "4.2"),
        (2.99999, .plain, 2, "2.99999"),
        (0.8, .percent, 2, "80%"),
        (0.125, .percent, 0, "12.5%"),
        (3.6667, .plain, 3, "3.667"),
        (-0.9996, .plain, 2, "-0.9996"),
    ])
    func threshold(_ x: Double, _ f: NumberFormat, _ decimals: Int, _ expected: String) {
        var s = Settings()
        s.decimals = decimals
        #expect(NoteRenderer(settings: s).threshold(x, f) == expected)
    }

    @Test("notes render in the language and with the settings in force", arguments: [
        ("en", 2, Note(.abcClasses, [.list([.phrase(.abcClass, [.text("A"), .counted(1, .nounRow), .number(0.274, .percent)])]),
                                     .number(7300, .plain)]), "classes: A 1 row (27.40% of the value); total 7,300"),
        ("zh", 2, Note(.abcClasses, [.list([.phrase(.abcClass, [.text("A"), .counted(1, .nounRow), .number(0.274, .percent)])]),
                                     .number(7300, .plain)]), "分类：A 类 1 行（占值的 27.40%）；合计 7,300"),
        ("en", 1, Note(.whyMeans, [.counted(5, .nounCustomer), .list([.text("R 1"), .text("F 2")])]), "means over 5 customers: R 1, F 2"),
        ("zh", 2, Note(.whyMeans, [.counted(5, .nounCustomer), .list([.text("R 1"), .text("F 2")])]), "5 位客户的均值：R 1、F 2"),
        ("en", 2, Note(.undid, [.text("x = 1")], indent: 1), "  undid: x = 1"),
        ("en", 3, Note(.splitWeightsSum, [.phrase(.splitWeights), .number(0.6, .percent)]),
         "the weights add up to 60.000%, not 100%: each share is its weight / 60.000%"),
    ])
    func renders(_ lang: String, _ decimals: Int, _ note: Note, _ expected: String) {
        var s = Settings()
        s.lang = lang
        s.decimals = decimals
        #expect(NoteRenderer(settings: s).render(note) == expected)
    }

    @Test("values in 万 and 亿, with a currency sign, and booleans in Chinese", arguments: [
        (Value.number(32_000_000, .wan), "", "en", "3,200.00万"),
        (.number(1.5e8, .yi), "", "en", "1.50亿"),
        (.number(-12_345, .wan), "", "en", "-1.23万"),
        (.number(1234.5, .money), "¥", "en", "¥1,234.50"),
        (.number(-3, .money), "$", "en", "-$3.00"),
        (.number(1234.5, .plain), "¥", "en", "1,234.50"),
        (.bool(true), "", "zh", "是"),
        (.bool(false), "", "en", "false"),
    ])
    func values(_ v: Value, _ currency: String, _ lang: String, _ expected: String) {
        #expect(ValueFormatter(decimals: 2, currency: currency, lang: lang).inline(v) == expected)
    }

    @Test func csvKeepsMoneyPlain() {
        #expect(ValueFormatter(decimals: 2, currency: "¥", lang: "zh").csvCell(.number(1234.5, .money)) == "1234.50")
        #expect(ValueFormatter(decimals: 2, currency: "¥", lang: "zh").csvCell(.bool(true)) == "true")
    }

    @Test("the locale picks the interface language", arguments: [
        (["LANG": "zh_CN.UTF-8"], "zh"),
        (["LANG": "en_US.UTF-8"], "en"),
        (["LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"], "zh"),
        (["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], "en"),
        (["LC_ALL": "", "LANG": "zh_CN.UTF-8"], "zh"),
        (["LC_MESSAGES": "zh_CN", "LANG": "C"], "zh"),
        ([:], "en"),
    ])
    func language(_ env: [String: String], _ expected: String) {
        #expect(Settings.language(environment: env) == expected)
    }

    @Test func chineseHeadersNameOneColumnEach() {
        var seen: [String: String] = [:]
        for (name, zh) in Catalogue.headers {
            #expect(seen[zh] == nil, "\(zh) is the header of both \(name) and \(seen[zh] ?? "")")
            seen[zh] = name
        }
        #expect(Catalogue.columnName(forHeader: "客户") == "customer")
        #expect(Catalogue.header("floor", lang: "zh") == "保底")
        #expect(Catalogue.header("floor", lang: "en") == "floor")
    }

    @Test func helpHasAChineseLineForEveryCommandAndFunction() {
        for c in Driver.commandHelp { #expect(Catalogue.helpZh[c.name] != nil, "no Chinese help for the command \(c.name)") }
        for f in Registry.standard.all { #expect(Catalogue.helpZh[f.name] != nil, "no Chinese help for \(f.name)") }
        for c in Builtin.Category.allCases { #expect(Catalogue.helpHeadingsZh[c.rawValue] != nil, "no Chinese heading for \(c)") }
    }
}
