"""`scripts/bench exprs [SIZES]`: user-written expressions over a whole orders table, each
statement timed inside one process (Tally's `set timer on`; DuckDB's Python API on the
same file, loaded the same way), best of 3, beside each other in the same run. Tally's
timer also gives the statement's transient memory (the most heap in use above what was in
use before it), shown beside the bytes of the columns the statement reads.
"""
import os, re, subprocess, tempfile

TIMER = re.compile(r"^\(([\d.,]+) ms, \+(\d+) MiB\)$")

# (Tally statement, DuckDB query, bytes per row of the columns it reads)
STATEMENTS = [
    ("sum(round(t.amount, 0))", "SELECT sum(round(amount, 0)) FROM t", 8),
    ('count(where(t, upper(channel) == "TMALL"))', "SELECT count(*) FROM t WHERE upper(channel) = 'TMALL'", 4),
    ("sum(if(t.amount > 100, t.amount, 0))", "SELECT sum(CASE WHEN amount > 100 THEN amount ELSE 0 END) FROM t", 8),
    ("count(join(t, c, on: customer_id))", "SELECT count(*) FROM t JOIN c USING (customer_id)", 4),
    ("count_distinct(t.customer_id & t.channel)", "SELECT count(DISTINCT customer_id || channel) FROM t", 8),
    ("count(where(t, month(order_date) == 3 and amount > 500))",
     "SELECT count(*) FROM t WHERE month(order_date) = 3 AND amount > 500", 12),
    ("sum(t.amount * 1.1 + 2)", "SELECT sum(amount * 1.1 + 2) FROM t", 8),
]

DUCKDB = r'''
import sys, time, duckdb
path, queries = sys.argv[1], sys.argv[2:]
con = duckdb.connect()
con.execute("""CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '"',
    columns = {'order_id': 'BIGINT', 'customer_id': 'VARCHAR', 'order_date': 'DATE',
               'amount': 'DOUBLE', 'channel': 'VARCHAR', 'region': 'VARCHAR',
               'product_line': 'VARCHAR'})""", [path])
con.execute("CREATE TABLE c AS SELECT customer_id, count(*) AS orders FROM t GROUP BY customer_id")
for q in queries:
    best, value = None, None
    for _ in range(3):
        t0 = time.perf_counter()
        value = con.execute(q).fetchone()[0]
        ms = (time.perf_counter() - t0) * 1000
        best = ms if best is None else min(best, ms)
    print(f"{best:.2f}\t{value}")
'''


def tally(tally_bin, path, statements=STATEMENTS):
    """(best ms, most MiB, printed value) per statement, each run three times in one process."""
    lines = [f'load "{path}" as t', "c = group(t, customer_id, orders: count())", "set timer on"]
    for stmt, *_ in statements:
        lines += [stmt] * 3
    with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    try:
        out = subprocess.run([tally_bin, script], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    results, value = [], None
    for line in out.splitlines()[2:]:
        m = TIMER.match(line)
        if m:
            results.append((float(m.group(1).replace(",", "")), int(m.group(2)), value))
        else:
            value = line.strip()
    # Drop the `set timer on` line's own timing if it has one, keep three per statement.
    results = results[-3 * len(statements):]
    best = []
    for i in range(len(statements)):
        runs = results[3 * i: 3 * i + 3]
        best.append((min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]))
    return best


def duckdb(python, path, statements=STATEMENTS):
    """(best ms, value) per statement's DuckDB query, on a table loaded like Tally's."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(DUCKDB)
        script = f.name
    try:
        out = subprocess.run([python, script, path] + [q for _, q, *_ in statements],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    return [(float(a), b) for a, b in (line.split("\t", 1) for line in out.splitlines())]


def same(a, b, relative=1e-12):
    norm = lambda s: re.sub(r"[,\s]", "", str(s))
    try:
        return abs(float(norm(a)) - float(norm(b))) < 0.005 + relative * abs(float(norm(b)))
    except ValueError:
        return norm(a) == norm(b)


def run(tally_bin, python, path, rows, peers):
    ours = tally(tally_bin, path)
    theirs = duckdb(python, path) if peers else [(None, None)] * len(STATEMENTS)
    n = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}[rows]
    print(f"| statement over t ({rows}) | Tally ms | DuckDB ms | ratio | Tally memory | columns read | same result |")
    print("|---|---|---|---|---|---|---|")
    for (stmt, _, width), (ms, mem, value), (dms, dvalue) in zip(STATEMENTS, ours, theirs):
        ratio = f"{ms / dms:.2f}x" if dms else "-"
        agree = "-" if dvalue is None else ("yes" if same(value, dvalue) else f"NO ({value} vs {dvalue})")
        read = width * n / 2**20
        print(f"| `{stmt}` | {ms:.1f} | {'-' if dms is None else f'{dms:.1f}'} | {ratio} | {mem} MiB | {read:.0f} MiB | {agree} |")
