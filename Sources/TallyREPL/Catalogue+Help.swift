extension Catalogue {
    /// The one-line summary `help` shows under `set lang zh`, by command or function name
    /// (`help NAME`'s details stay in English).
    static let helpZh: [String: String] = [
        // Commands.
        "help": "列出命令和函数；`help NAME` 解释其中一个",
        "list": "列出每个公式的值和定义；`list tables`、`list formulas`、`list inputs` 或 `list NAME, ...` 只列出一部分",
        "drop": "删除公式（有其他公式依赖时拒绝）",
        "undo": "撤销上一次对工作区的改动",
        "redo": "撤销之后再重做",
        "rename": "重命名公式或表，并改写所有引用它的定义",
        "load": "把 CSV/TSV 或 .xlsx 文件读成表（选项：delimiter、header、encoding、skip、types、dateformat、on_error、sheet、keep_totals）；末尾的合计行（合计、Total）不读入，除非 keep_totals: true；`load demo` 载入示例表",
        "reload": "重新读取已载入表的文件，并重算依赖它的内容",
        "describe": "每列的类型、数量、空值、最小、最大、均值和不同值个数",
        "show": "分页显示整张表",
        "export": "把表（任何表表达式）写成 .csv、.tsv、.md 或 .xlsx（原子写入；覆盖用 `force: true`）",
        "chart": "画图：bar (x:, y:)、hist、line (x:, y:)、pareto（abc 结果）、rfm（rfm 结果）、tornado（敏感性结果）、heat（双输入数据表）；`to: \"c.svg\"` 写 SVG",
        "what": "替换输入后的公式值与当前值并列（基准、假设、变化、变化率）；不改动任何内容",
        "scenario": "保存一组命名的覆盖；`scenario apply best` 应用它们（一次可撤销的改动）；`drop scenario best` 删除",
        "scenarios": "列出已保存的情景及其覆盖",
        "compare": "每个情景一列，与基准并列（不写名称：列出情景改变的每个公式）",
        "goalseek": "找出使公式等于目标值的输入值（先夹逼，再用 Brent 法）并设定它；`undo` 恢复",
        "datatable": "一个输入取每个值时的公式值，或两个输入的网格（最多 10,000 格）；不改动任何内容",
        "sensitivity": "逐个上下调整公式的每个输入，按公式摆动的幅度排序（龙卷风图）；不改动任何内容",
        "save": "把工作区写成脚本，`open` 或 `tally plan.tally` 可恢复（原子写入）；`data: true` 嵌入载入的表",
        "open": "用保存的计划替换工作区；一次 `undo` 恢复原来的工作区",
        "run": "在当前工作区运行一个语句脚本",
        "set": "output box|markdown|csv|plain、decimals N、width N|auto、timer on|off、color on|off、lang en|zh、currency \"¥\"|none、undo_memory MiB、max_rows N、pg_timeout N|off",
        "quit": "退出 Tally",
        // Math.
        "abs": "绝对值。", "ceil": "向上取整。", "exp": "e 的幂。", "floor": "向下取整。", "ln": "自然对数。",
        "mod": "a / b 的余数，符号与 b 相同（同 Excel）。", "round": "四舍五入到指定小数位（远离零）；负位数取整到十、百……",
        "sqrt": "平方根。",
        // Aggregates.
        "at": "列表或列的第 n 个单元格，从 1 开始；也可写作 q[2] 或 q.target[2]。", "avg": "算术平均值；没有值时为 #DIV/0!。",
        "count": "非空值的个数；count(t) 是表的行数。", "count_distinct": "不同非空值的个数。",
        "first": "列表或列的第一个单元格（空单元格得空）。", "last": "列表或列的最后一个单元格（空单元格得空）。",
        "max": "最大值：数字、日期或文本（不混用）；没有值时为 #N/A。", "median": "中位数；没有值时为 #N/A。",
        "min": "最小值：数字、日期或文本（不混用）；没有值时为 #N/A。", "percentile": "低于它的值占比为 p 的值（p 取 0 到 1 或 0% 到 100%）。",
        "sparkline": "列表或列的一行小图：每个值一个 ▁▂▃▄▅▆▇█。", "stdev": "样本标准差（除以 n - 1）；少于 2 个值时为 #DIV/0!。",
        "sum": "数字、列表和列求和；跳过空单元格，文本或真假值得 #VALUE!。",
        // Logic.
        "between": "low <= x <= high 时为真（含两端）；对列表或列逐个判断。", "coalesce": "第一个既不为空也不是错误的值。",
        "if": "条件为真时取 `then`，否则取 `else`（省略时为空）。", "iferror": "`x`，若 `x` 是错误值则取 `fallback`。",
        "is_empty": "空单元格为真，其他（包括错误）为假。",
        // Text.
        "concat": "把参数的文本形式连接起来（同 `&`）。", "contains": "文本包含 `part` 时为真（区分大小写）。", "left": "文本开头的 n 个字符。",
        "len": "文本的字符数（华东 为 2）。", "lower": "转为小写。", "replace": "把文本中每一处 `old` 替换为 `new`。", "right": "文本结尾的 n 个字符。",
        "trim": "去掉两端的空格（以及制表符、换行）。", "upper": "转为大写。",
        // Dates.
        "add_months": "n 个日历月之后（负数为之前）的日期；1 月 31 日加 1 个月为 2 月 28（29）日。", "date": "由文本（2026-07-01、2026/7/1、2026年7月1日）或年、月、日得到日期。", "day": "日期中的日。",
        "days_between": "从 `start` 到 `end` 的天数（end - start；end 在前时为负）。", "eomonth": "日期所在月（或 `months` 个月之后那个月）的最后一天，同 Excel 的 EOMONTH。", "month": "日期中的月。",
        "month_start": "日期所在月的第一天。", "period": "日期所在期间的标签（月 2026-03、季 2026-Q1、周 2026-W09、年 2026）。",
        "quarter": "日期所在的季度（1 到 4）。", "quarter_start": "日期所在季度的第一天。", "today": "今天的日期（按本机时钟和时区）。",
        "week": "ISO 8601 周数，1 到 53（每周从星期一开始）。", "week_start": "日期所在 ISO 周的星期一。", "weekday": "星期几：1 = 星期一 …… 7 = 星期日。", "year": "日期中的年。",
        "year_start": "日期所在年的第一天。",
        // Tables.
        "add": "添加计算列（或替换同名列）；每个表达式可用表的列。", "collect": "表的本地副本：对远程表（load postgres）从服务器取回全部行。", "columns": "表的列名，作为列表。", "distinct": "给定列（不给则所有列）的不同组合，已排序。", "group": "键的每种组合一行，每组计算命名的聚合（sum、avg、count() ……）。",
        "head": "前 n 行（默认 10）。", "join": "按相等的键列把 `a` 的行与 `b` 的行配对（多个键用 `on: [k1, k2]`）；kind 为 \"inner\" 或 \"left\"。", "pivot": "交叉表：`rows` 的每个值一行，`cols` 的每个值一列，单元格为聚合值。", "rows": "表的行数。",
        "sample": "随机抽取 n 行（同一 seed 抽到同样的行），保持表中顺序。", "select": "按给定顺序保留指定列；`new: old` 以新名称保留一列。", "sort": "按一个或多个列或行表达式排序，默认升序，后跟 `desc` 为降序；稳定排序，空单元格在最后。",
        "table": "由等长的命名列表构成表。", "tail": "后 n 行（默认 10）。", "top": "前 n 行；给 `by:` 时取该列值最大的 n 行；给 `per:` 时每组 n 行。", "where": "条件为真的行（直接写的名称是表的列）。",
        // Analytics and planning.
        "abc": "ABC 分析：按值（从大到小）排列各行，按累计占比分为 A、B、C 类。", "assign": "把每位客户分给一位销售，匹配 `by:` 并平衡每位销售的总值；注明每人的负荷。",
        "days": "从 `from` 到 `to` 每天一行；`workdays: true` 只保留工作日（周一至周五，去掉节假日）。", "dense_rank": "每个值在组内的名次；并列同名次，不跳号（1, 1, 2）。",
        "lag": "同组中前 n 行的值（没有这一行时为空）。", "lead": "同组中后 n 行的值（没有这一行时为空）。", "levels": "目标的保底、标准和挑战三档。",
        "months": "一年（或到 `to` 年为止）的各月，标签如 2026-07：期间、开始、结束、天数、工作日。", "moving_avg": "组内最近 n 行（含本行）的平均（开头不足 n 行）；跳过空值。", "pct_change": "与组内上一行相比的变化百分比；组的第一行为空，0 之后为 #DIV/0!。",
        "progress": "实际对目标：完成率、差额；给出期间时还有所需的日均进度。", "quarters": "一年（或到 `to` 年为止）的各季度，标签如 2026-Q1：期间、开始、结束、天数、工作日。",
        "rank": "每个值在组内的名次；并列取最小名次（1, 1, 3），同 SQL 的 RANK。", "rfm": "RFM 分析：按客户汇总订单，为最近度、频次、金额打分并分群。",
        "rfm_score": "对已汇总的最近度、频次、金额打分并分群。", "row_number": "按当前行序编号 1, 2, 3 ……，`by:` 的每个值重新开始。",
        "running_count": "逐行累计的行数（或 x 的非空单元格数），`by:` 的每个值重新开始。", "running_sum": "逐行累计的合计（`by:` 的每个值重新开始）；空单元格保持前一个合计。", "segments": "rfm(..., segments: rules) 用的有序分群规则：第一条条件成立的规则决定分群。",
        "share": "每个值占其组合计的比例（百分比）；合计为 0 时为 #DIV/0!。", "split": "按权重把总额拆分成各部分，各部分之和精确等于总额（最大余数法取整）。",
        "tree": "缩进显示的目标树：每个节点一行，上级在下级之前，附金额和占比。", "weeks": "一个周年的 ISO 8601 周（周一至周日，52 或 53 周），标签如 2026-W01。", "why": "解释 rfm 结果中的一位客户：各得分的区间、阈值、均值和分群规则。",
        "years": "从 `from` 到 `to` 每个日历年一行：期间、开始、结束、天数、工作日。",
        // KPIs.
        "aov": "客单价 = 销售额 / 订单数。", "cac": "获客成本 = 获客费用 / 新客户数。", "churn_rate": "流失率 = 期内流失的客户 / 期初客户。",
        "collection_rate": "回款率 = 回款 / 销售额。", "completion": "完成率 = 实际 / 目标（百分比）。", "conversion": "转化率 = 购买人数 / 访客数（百分比）。",
        "funnel": "销售漏斗：各阶段数量、相对上一阶段和相对第一阶段的转化率。", "growth": "增长率 = (本期 - 上期) / |上期|：亏损 100 变为盈利 50 是 +150%。",
        "ltv": "客户终身价值 = 客单价 × 每期购买次数 × 期数 × 利润率。", "ltv_churn": "客户终身价值 = 每客户每期收入 × 利润率 / 每期流失率。",
        "margin": "利润率 = 利润 / 销售额（百分比）。", "repeat_rate": "复购率 = 下单 2 次及以上的客户 / 至少下单一次的客户。",
        "roas": "广告支出回报 = 广告收入 / 广告费用，为倍数（4 即 4 倍；`as %` 显示 400%）。", "roi": "投资回报率 = 收益 / 成本（百分比）；净 ROI 请给净收益（收入 - 成本）。",
    ]

    /// Headings and fixed lines of `help` in Chinese.
    static let helpHeadingsZh: [String: String] = [
        "commands": "命令（写在行首）：",
        "statements": "语句：`name = expr` 定义公式；单独的表达式打印它的值；`;` 在一行中分隔多条语句。",
        "footer": "`help NAME` 显示函数的说明（英文）和示例。",
        "math": "数学函数：", "aggregate": "聚合函数：", "logic": "逻辑函数：", "text": "文本函数：", "date": "日期函数：",
        "table": "表函数：", "analytics": "分析函数：", "kpi": "KPI 函数：",
        // `help NAME`.
        "details": "说明（英文）：", "parameters": "参数：", "also": "别名：", "example": "示例：",
    ]

    /// A command's or function's one-line summary in `lang`, `english` when none is kept.
    static func helpSummary(_ name: String, english: String, lang: String) -> String {
        lang == "zh" ? helpZh[name] ?? english : english
    }
}
