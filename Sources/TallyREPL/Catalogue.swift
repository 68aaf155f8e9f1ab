import TallyCore

/// The one message catalogue: each `MessageKey` in English and Chinese, and the Chinese
/// headers of the columns built-ins make. Only display reads it; names stay English.
public enum Catalogue {
    /// The template of `key` in `lang` ("en" or "zh"), English when a language lacks it.
    public static func template(_ key: MessageKey, lang: String) -> String {
        guard let e = entries[key] else { return "{0}" }
        return lang == "zh" ? e.zh : e.en
    }

    /// A noun for `n` things: `row` / `rows` / `行`.
    static func noun(_ key: MessageKey, count n: Int, lang: String) -> String {
        let forms = template(key, lang: lang).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        return n == 1 || forms.count < 2 ? forms[0] : forms[1]
    }

    /// The header a generated column shows under `set lang zh` (its name otherwise).
    public static func header(_ name: String, lang: String) -> String {
        guard lang == "zh" else { return name }
        return headers[name] ?? name
    }

    /// A word a built-in writes in a cell (`why`'s `high`, `recency`) in `lang`.
    public static func label(_ word: String, lang: String) -> String {
        lang == "zh" ? labels[word] ?? word : word
    }

    /// Chinese of the words built-ins write in cells of `TableDisplay.labelColumns`.
    static let labels: [String: String] = [
        "recency": "最近度", "frequency": "频次", "monetary": "消费金额", "high": "高", "low": "低",
    ]

    /// The column name whose Chinese header is `header` (`客户` -> `customer`).
    public static func columnName(forHeader header: String) -> String? {
        headers.filter { $0.value == header }.map(\.key).sorted().first
    }

    /// Chinese headers of the columns Tally's built-ins and commands make.
    static let headers: [String: String] = [
        // rfm, why, segments
        "customer": "客户", "recency": "最近度", "frequency": "频次", "monetary": "消费金额", "segment": "分群",
        "measure": "指标", "score": "得分", "band": "区间", "mean": "均值", "level": "高低", "rule": "规则", "conditions": "条件",
        // abc
        "rank": "排名", "share": "占比", "cum_share": "累计占比", "class": "分类",
        // split, levels, tree, calendars
        "part": "部分", "weight": "权重", "amount": "金额", "quota": "配额", "rounding": "取整差",
        "floor": "保底", "standard": "标准", "stretch": "挑战", "node": "节点", "of_parent": "占上级", "of_total": "占总额",
        "period": "期间", "start": "开始", "end": "结束", "days": "天数", "workdays": "工作日", "tier": "层级",
        // progress
        "actual": "实际", "target": "目标", "completion": "完成率", "gap": "差额", "daily_needed": "每日所需", "projected": "预计",
        "days_elapsed": "已过天数", "days_left": "剩余天数", "time_elapsed": "时间进度", "daily_actual": "日均实际",
        // funnel
        "stage": "阶段", "count": "数量", "step_conversion": "步转化率", "overall_conversion": "总转化率", "drop_off": "流失",
        // what if, compare, scenarios, describe, list
        "formula": "公式", "base": "基准", "what-if": "假设", "change": "变化", "% change": "变化率", "scenario": "情景",
        "overrides": "覆盖", "column": "列", "type": "类型", "non_empty": "非空", "empty": "空", "distinct": "不同值",
        "min": "最小", "max": "最大", "example": "示例", "name": "名称", "value": "值", "definition": "定义",
        "field": "字段", "total": "合计",
    ]
}
