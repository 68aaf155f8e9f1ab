"""`scripts/bench windows [SIZES]`: the analyst's functions of issue 11 (window functions,
top per group, sort by a computed key, periods, pivot totals, a goal tree over raw orders)
over a whole orders table, each statement timed inside one process with `set timer on`
(time and transient memory), best of 3, beside DuckDB's nearest query on the same table
(its Python API, the table loaded as `bench_exprs` loads it; row order is DuckDB's rowid).

Each statement reduces its result to one number so both sides can be compared; the
reduction (a sum over a column of 10M rows) is part of the time on both sides. Results
agree within 1e-5 relative: Tally prints a sum above 1e15 with six significant digits.
"""
import bench_exprs

# (Tally statement, DuckDB query or None)
STATEMENTS = [
    ("sum(add(t, c: running_sum(amount)).c)",
     "SELECT sum(c) FROM (SELECT sum(amount) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS c FROM t)"),
    ("sum(add(t, c: cumsum(amount, by: customer_id)).c)",
     "SELECT sum(c) FROM (SELECT sum(amount) OVER (PARTITION BY customer_id ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS c FROM t)"),
    ("sum(add(t, p: lag(amount)).p)",
     "SELECT sum(p) FROM (SELECT lag(amount) OVER (ORDER BY rowid) AS p FROM t)"),
    ("sum(add(t, p: lag(amount, by: customer_id)).p)",
     "SELECT sum(p) FROM (SELECT lag(amount) OVER (PARTITION BY customer_id ORDER BY rowid) AS p FROM t)"),
    ("sum(add(t, r: rank(amount, desc)).r)",
     "SELECT sum(r) FROM (SELECT rank() OVER (ORDER BY amount DESC) AS r FROM t)"),
    ("sum(add(t, r: rank(amount, desc, by: region)).r)",
     "SELECT sum(r) FROM (SELECT rank() OVER (PARTITION BY region ORDER BY amount DESC) AS r FROM t)"),
    ("sum(add(t, s: share(amount, by: channel)).s) as number",
     "SELECT sum(s) FROM (SELECT amount / sum(amount) OVER (PARTITION BY channel) AS s FROM t)"),
    ("sum(add(t, g: pct_change(amount)).g) as number",
     "SELECT sum(g) FROM (SELECT amount / lag(amount) OVER (ORDER BY rowid) - 1 AS g FROM t)"),
    ("sum(add(t, m: moving_avg(amount, 7)).m)",
     "SELECT sum(m) FROM (SELECT avg(amount) OVER (ORDER BY rowid ROWS 6 PRECEDING) AS m FROM t)"),
    ("sum(top(t, 3, by: amount, per: region).amount)",
     "SELECT sum(amount) FROM (SELECT amount, row_number() OVER (PARTITION BY region ORDER BY amount DESC) AS n FROM t) WHERE n <= 3"),
    ("sum(top(t, 3, by: amount, per: customer_id).amount)",
     "SELECT sum(amount) FROM (SELECT amount, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC) AS n FROM t) WHERE n <= 3"),
    ("sort(t, month(order_date), amount, desc).amount[1]",
     "SELECT first(amount ORDER BY month(order_date), amount DESC) FROM t"),
    ("max(month_start(t.order_date))", "SELECT CAST(max(date_trunc('month', order_date)) AS DATE) FROM t"),
    ('count_distinct(period(t.order_date, "week"))', "SELECT count(DISTINCT strftime(order_date, '%G-W%V')) FROM t"),
    ("max(group(t, month: month_start(order_date), revenue: sum(amount)).revenue)",
     "SELECT max(r) FROM (SELECT date_trunc('month', order_date) AS m, sum(amount) AS r FROM t GROUP BY m)"),
    ('sum(pivot(t, rows: region, cols: channel, value: sum(amount), totals: true).Total)',
     "SELECT sum(amount) FROM t"),
    ("sum(split(1亿, t, by: [channel, region], weight: amount).target)", None),
]


def run(tally_bin, python, path, rows, peers):
    ours = bench_exprs.tally(tally_bin, path, STATEMENTS)
    queries = [(s, q) for s, q in STATEMENTS if q]
    theirs = iter(bench_exprs.duckdb(python, path, queries) if peers else [])
    print(f"| statement over t ({rows}) | Tally ms | Tally memory | DuckDB ms | ratio | same result |")
    print("|---|---|---|---|---|---|")
    for (stmt, query), (ms, mem, value) in zip(STATEMENTS, ours):
        dms, dvalue = next(theirs) if peers and query else (None, None)
        ratio = f"{ms / dms:.2f}x" if dms else "-"
        agree = "-" if dvalue is None else ("yes" if bench_exprs.same(value, dvalue, 1e-5) else f"NO ({value} vs {dvalue})")
        print(f"| `{stmt}` | {ms:,.1f} | {mem:,} MiB | {'-' if dms is None else f'{dms:,.1f}'} | {ratio} | {agree} |")
