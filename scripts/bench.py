#!/usr/bin/env python3
"""Benchmarks of the release `tally`: whole-process wall time and peak memory (ru_maxrss
of that one child, via os.wait4), median of N runs after a warm-up.

  python3 scripts/bench.py core            start-up (`tally -e '1+1'`) and the 1,000-formula chain
  python3 scripts/bench.py data [SIZES]    load, group, rfm, abc on ../shared/bench files beside
                                           DuckDB, Polars and pandas (SIZES: 100k,1m,10m; default 1m,10m)
  python3 scripts/bench.py whatif          what if, goalseek, sensitivity, journal replay, undo memory,
                                           chains of 10,000 formulas and 100,000 inputs, a 1,000,000-term sum
  python3 scripts/bench.py exprs [SIZES]   user-written expressions over 1M/10M rows, each statement
                                           timed in-process beside DuckDB (SIZES default 1m,10m)
  python3 scripts/bench.py pg [SIZES]      rfm pushed down to a private PostgreSQL server beside load + rfm
                                           (SIZES default 1m,10m; scripts/bench_pg.py)
  python3 scripts/bench.py all             everything
  python3 scripts/bench.py ensure 100k      only make the data file (the tests' checksum cases use it)

The data files and the peers' virtualenv are made on first use, outside the repository
(/tmp/tally-bench, /tmp/tally-peers), exactly as ../shared/bench/README.md says. Every
Tally run's checksum is compared with the README's exact figures. BENCH_PEERS=0 skips
the peers; BENCH_RUNS=N sets the number of timed runs.

The recalculation figure is the time Tally itself reports with `set timer on` for the
statement that redefines the root of the chain (parse, recalc of 1,000 formulas, and
rendering the change list), because process start-up would drown it.
"""
import os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TALLY = os.environ.get("TALLY_BIN") or os.path.join(ROOT, ".build", "release", "tally")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# What `set timer on` prints after a statement: its time and the memory it needed.
TIMER = r"^\(([\d.,]+) ms(?:, \+\d+ MiB)?\)$"


def run_once(argv, stdin_text=None):
    """Runs argv; returns (wall seconds, peak RSS MiB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if stdin_text is not None:
        p.stdin.write(stdin_text.encode()); p.stdin.close()
    out = p.stdout.read()
    p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {p.returncode}")
    return wall, ru.ru_maxrss / 1024.0, out.decode()


def measure(argv, stdin_text=None):
    run_once(argv, stdin_text)  # warm-up
    walls, mems, out = [], [], ""
    for _ in range(RUNS):
        w, m, out = run_once(argv, stdin_text)
        walls.append(w); mems.append(m)
    return statistics.median(walls), max(mems), out


def row(name, wall, mem, target=None, note=""):
    ok = "" if target is None else ("  ok" if wall <= target else "  OVER TARGET")
    tgt = "" if target is None else f"  (target < {target * 1000:.0f} ms)" if target < 1 else f"  (target < {target:.1f} s)"
    print(f"{name:<44} {wall * 1000:9.1f} ms  {mem:7.1f} MiB{tgt}{ok} {note}")


def core():
    w, m, out = measure([TALLY, "-e", "1+1"])
    row("startup: tally -e '1+1'", w, m, 0.100)
    n = 1000
    lines = ["set timer off", "x0 = 1"] + [f"x{i} = x{i-1} + 1" for i in range(1, n + 1)]
    lines += ["set timer on", "x0 = 2", "x0 = 3", "x0 = 4", "x0 = 5", "x0 = 6"]
    with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        w, m, out = measure([TALLY, path])
        times = [float(t.replace(",", "")) for t in re.findall(TIMER, out, re.M)]
        redefs = times[-5:]
        med = statistics.median(redefs) / 1000
        row(f"recalc: redefine root of a {n}-formula chain", med, m, 0.005,
            note=f"(in-process, median of {len(redefs)}; whole script {w:.2f} s)")
    finally:
        os.unlink(path)


def timed_statements(lines, last):
    """Runs a script whose last `last` statements are timed by `set timer on`; returns
    (median ms of those, whole-process wall s, peak MiB)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        w, m, out = measure([TALLY, path])
        times = [float(t.replace(",", "")) for t in re.findall(TIMER, out, re.M)]
        return statistics.median(times[-last:]), w, m
    finally:
        os.unlink(path)


def whatif():
    n = 1000
    chain = ["x0 = 1"] + [f"x{i} = x{i-1} * 1.0001 + 1" for i in range(1, n + 1)]
    ms, w, m = timed_statements(chain + ["set timer on"] + [f"what if x0 = {k}: x{n}" for k in range(2, 7)], 5)
    row(f"what if over {n} formulas", ms / 1000, m, 0.010, note="(in-process)")
    ms, w, m = timed_statements(chain + ["set timer on"] + [f"what if x0 = {k}" for k in range(2, 7)], 5)
    row(f"what if over {n} formulas, all shown", ms / 1000, m, 0.010, note="(in-process)")
    c = ["y0 = 2"] + [f"y{i} = y{i-1} + 1" for i in range(1, 101)]
    ms, w, m = timed_statements(c + ["set timer on"] + [f"goalseek y100 = {500 + k} by y0" for k in range(5)], 5)
    row("goalseek on a chain of 100 formulas", ms / 1000, m, 0.050, note="(in-process)")
    inputs = [f"i{k} = {k + 1}" for k in range(20)]
    body = ["s0 = " + " + ".join(f"i{k}" for k in range(20))] + [f"s{i} = s{i-1} * 1.0001" for i in range(1, n)]
    ms, w, m = timed_statements(inputs + body + ["set timer on"] + [f"sensitivity s{n - 1}"] * 3, 3)
    row(f"sensitivity: 20 inputs, {n} formulas", ms / 1000, m, 0.100, note="(in-process)")
    # Journal replay: a journal of 1,000 statements resumed into a fresh session.
    with tempfile.TemporaryDirectory() as state:
        jdir = os.path.join(state, "tally")
        os.makedirs(jdir)
        stmts = ["a0 = 1"] + [f"a{i} = a{i-1} + 1" for i in range(1, 1000)]
        with open(os.path.join(jdir, "session-1-999999.journal"), "w") as f:
            f.write("# tally journal 1\n" + "\n".join(stmts) + "\n")
        env = dict(os.environ, XDG_STATE_HOME=state)
        t0 = time.perf_counter()
        p = subprocess.run([TALLY, "--resume"], input=b"quit\nquit\n", env=env, capture_output=True)
        wall = time.perf_counter() - t0
        ok = b"Resumed 1000 statements" in p.stdout
        row("resume a journal of 1,000 statements", wall, 0, 1.0, note="(whole process)" + ("" if ok else " NOT RESUMED"))
    for label, lines, target in [
        ("define a chain of 10,000 formulas", ["a0 = 1"] + [f"a{i} = a{i-1} + 1" for i in range(1, 10000)], 1.0),
        ("define 100,000 independent inputs", [f"b{i} = {i}" for i in range(100000)], 5.0),
        ("x = 1+1+...+1 (1,000,000 terms)", ["x = " + "+".join(["1"] * 1000000)], None),
    ]:
        with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
            f.write("\n".join(lines) + "\n")
            path = f.name
        try:
            w, m, _ = measure([TALLY, path])
            row(label, w, m, target, note="(whole process)")
        finally:
            os.unlink(path)


def undo_memory():
    """Peak memory of 200 redefinitions of `disc` under `t.net = amount * disc` on the
    10M-row file, against loading the table alone."""
    path = ensure_data("10m", peers=False)
    load = f'load "{path}" as t'
    _, base = run_once([TALLY, "-e", load, "-e", "t.net = amount * 0.9"])[:2]
    lines = [load, "disc = 0.9", "t.net = amount * disc"] + [f"disc = {0.5 + i / 1000}" for i in range(200)]
    with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    try:
        w, m, _ = run_once([TALLY, script])
        row("10M rows: 200 redefinitions of disc (t.net)", w, m, note=f"(the table with t.net alone: {base:.0f} MiB; ratio {m / base:.2f}x, target < 2x)")
    finally:
        os.unlink(script)


SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
DATA = "/tmp/tally-bench"
VENV = "/tmp/tally-peers"
SIZES = {"100k": (100000, 10000), "1m": (1000000, 100000), "10m": (10000000, 1000000)}


def expected_checksums():
    """size -> workload -> the README's checksum line (without the size)."""
    out = {}
    text = open(os.path.join(SHARED, "README.md"), encoding="utf-8").read()
    for m in re.finditer(r"^(100k|1m|10m)\s+(load|rfm|abc)\s+(.*)$", text, re.M):
        out.setdefault(m.group(1), {})[m.group(2)] = m.group(3).strip()
    return out


def generator_python():
    """A Python with the generator's pinned numpy and polars: the peers' virtualenv when
    it exists, else a small one with just those two (what the tests need)."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.exists(py):
        return py
    light = "/tmp/tally-gen"
    lpy = os.path.join(light, "bin", "python")
    if not os.path.exists(lpy):
        pins = [l.strip() for l in open(os.path.join(SHARED, "requirements.txt"))
                if l.strip().startswith(("numpy==", "polars=="))]
        subprocess.run([sys.executable, "-m", "venv", light], check=True)
        subprocess.run([os.path.join(light, "bin", "pip"), "install", "-q"] + pins, check=True)
    return lpy


def ensure_data(size, peers=True):
    path = os.path.join(DATA, f"tx_{size}.csv")
    if os.path.exists(path):
        return path
    py = os.path.join(VENV, "bin", "python")
    if peers and not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "-r", os.path.join(SHARED, "requirements.txt")], check=True)
    py = generator_python()
    os.makedirs(DATA, exist_ok=True)
    rows, customers = SIZES[size]
    subprocess.run([py, os.path.join(SHARED, "gen_transactions.py"), str(rows), str(customers), "20260630", path], check=True)
    return path


def numbers(out):
    """The numbers Tally printed, one per line, thousands separators removed."""
    vals = []
    for line in out.splitlines():
        line = line.strip().replace(",", "")
        if re.fullmatch(r"-?\d+(\.\d+)?", line):
            vals.append(line)
    return vals


TALLY_SCRIPTS = {
    "load": 'load "{path}" as tx\ncount(tx)\nround(sum(tx.amount), 2) as money\n',
    "group": 'load "{path}" as tx\nset timer on\ng = group(tx, customer_id, n: count(), m: sum(amount))\nset timer off\nrows(g)\n',
    "rfm": ('load "{path}" as tx\n'
            'r = rfm(tx, customer: customer_id, date: order_date, amount: amount, asof: date("2026-07-01"))\n'
            'set output csv\ncount(r)\nsum(r.r + r.f + r.m)\ncount_distinct(r.rfm)\n'
            'group(r, rfm, n: count()) |> sort(n, desc, rfm) |> head(5)\n'
            'group(r, r, n: count()) |> sort(r, desc)\ngroup(r, f, n: count()) |> sort(f, desc)\ngroup(r, m, n: count()) |> sort(m, desc)\n'),
    "abc": ('load "{path}" as tx\n'
            'a = abc(tx, value: amount, by: customer_id, a: 80%, b: 95%, rule: "including")\n'
            'set output csv\nset decimals 6\ncount(a)\nround(sum(a.amount), 2) as money\n'
            'group(a, class, n: count(), share: sum(share) as number)\n'),
}


def tally_checksum(workload, out):
    """Rebuilds the README's checksum line from Tally's output."""
    if workload == "load":
        n = numbers(out)
        return f"rows={n[0]} amount_sum={n[1]}"
    if workload == "group":
        return f"groups={numbers(out)[-1]}"
    lines = [l for l in out.splitlines() if l.strip()]
    if workload == "rfm":
        head, tables, cur = [], [], None
        for l in lines:
            l = l.strip()
            if re.match(r"^[a-z_]+,n$", l):
                cur = []
                tables.append(cur)
            elif cur is not None and "," in l:
                cur.append(l.split(","))
            elif cur is None and re.fullmatch(r"[\d,.]+", l):
                head.append(l.replace(",", ""))
        top5 = ",".join(f"{k}:{v}" for k, v in tables[0])
        dist = ["/".join(f"{k}:{v}" for k, v in t) for t in tables[1:4]]
        return (f"customers={head[0]} score_sum={head[1]} distinct_scores={head[2]} top5={top5} "
                f"R={dist[0]} F={dist[1]} M={dist[2]}")
    if workload == "abc":
        n = [l.strip().replace(",", "") for l in lines if re.fullmatch(r"[\d,.]+", l.strip())]
        rows = {l.split(",")[0]: l.split(",") for l in lines if re.match(r"^[ABC],", l)}
        parts = " ".join(f"{c}={rows[c][1]}/{float(rows[c][2]):.6f}" for c in "ABC" if c in rows)
        return f"customers={n[0]} total={n[1]} {parts}"
    return ""


def has_function(name):
    p = subprocess.run([TALLY, "-e", f"help {name}"], capture_output=True, text=True)
    out = p.stdout + p.stderr
    return "not available" not in out and "no help" not in out


def data(sizes):
    expected = expected_checksums()
    peers = os.environ.get("BENCH_PEERS", "1") != "0"
    workloads = ["load", "group"] + [w for w in ("rfm", "abc") if has_function(w)]
    for size in sizes:
        path = ensure_data(size)
        for wl in workloads:
            script = TALLY_SCRIPTS[wl].format(path=path)
            with tempfile.NamedTemporaryFile("w", suffix=".tally", delete=False) as f:
                f.write(script)
                sp = f.name
            try:
                w, m, out = measure([TALLY, sp])
            finally:
                os.unlink(sp)
            got = tally_checksum(wl, out)
            want = expected.get(size, {}).get(wl)
            verdict = "" if want is None else ("  checksum ok" if got == want else f"  CHECKSUM MISMATCH: {got} != {want}")
            note = ""
            if wl == "group":
                t = re.findall(TIMER, out, re.M)
                note = f"  (group alone {max(float(x.replace(',', '')) for x in t):.0f} ms)" if t else ""
            row(f"{size} {wl}: tally", w, m, note=note + verdict)
            if peers and wl in ("load", "rfm", "abc"):
                for peer in ("duckdb", "polars", "pandas"):
                    script = os.path.join(SHARED, f"peer_{peer}.py")
                    pw, pm, pout = measure([os.path.join(VENV, "bin", "python"), script, wl, path])
                    ok = "" if want is None else ("  checksum ok" if pout.strip().split(None, 2)[-1] == want or want in pout else "  checksum differs")
                    row(f"{size} {wl}: {peer}", pw, pm, note=ok)


def main(argv):
    what = argv[1] if len(argv) > 1 else "all"
    if what in ("-h", "--help"):
        print(__doc__); return 0
    if what == "ensure":
        for size in (argv[2] if len(argv) > 2 else "100k").split(","):
            print(ensure_data(size, peers=False))
        return 0
    if not os.path.exists(TALLY):
        sys.exit("bench: build first: swift build -c release --product tally")
    print(f"tally bench, {RUNS} runs each (median wall, max peak RSS)")
    if what in ("core", "all"):
        core()
    if what in ("whatif", "all"):
        whatif()
    if what in ("undo", "all"):
        undo_memory()
    if what in ("exprs", "all"):
        import bench_exprs
        peers = os.environ.get("BENCH_PEERS", "1") != "0"
        for size in (argv[2] if len(argv) > 2 and what == "exprs" else "1m,10m").split(","):
            bench_exprs.run(TALLY, os.path.join(VENV, "bin", "python"), ensure_data(size, peers=peers), size, peers)
    if what == "pg":
        import bench_pg
        bench_pg.run(argv[2].split(",") if len(argv) > 2 else ["1m", "10m"])
    if what in ("data", "all"):
        sizes = argv[2].split(",") if len(argv) > 2 else ["1m", "10m"]
        data(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
