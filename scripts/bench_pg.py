"""`scripts/bench pg [SIZES]`: rfm over a PostgreSQL table pushed down to the server,
beside load of the same CSV then rfm; wall time and Tally's peak memory (whole process,
ru_maxrss) and the bytes Tally received from the server. The server is a private one
(scripts/pg-test-server) loaded with the bench file of each size, stopped at the end."""
import os, re, subprocess

import bench

RFM = "r = rfm({t}, customer: customer_id, date: order_date, amount: amount)\ncount(r)\nsum(r.monetary)\n"


def server(csv):
    p = subprocess.run([os.path.join(bench.ROOT, "scripts", "pg-test-server"), "start", csv],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("bench pg: no server: " + p.stderr.strip()[-400:])
    env = dict(re.findall(r"^export (\w+)='([^']*)'$", p.stdout, re.M))
    # Plain, as measured before the test server served TLS (the default `prefer` would encrypt).
    return env["TALLY_PG_URL"] + "?sslmode=disable", env["TALLY_PG_DIR"]


def run(sizes):
    for size in sizes:
        csv = bench.ensure_data(size, peers=False)
        url, folder = server(csv)
        try:
            pushed = f'load postgres "{url}" table "orders" as o\nset timer on\n' + RFM.format(t="o")
            w, m, out = bench.measure([bench.TALLY], pushed)
            received = re.findall(r"([\d,.]+ [KMG]?i?B) received", out)
            bench.row(f"{size} rfm pushed down to PostgreSQL", w, m,
                      note=("received " + received[0]) if received else "")
            local = f'load "{csv}" as t\n' + RFM.format(t="t")
            w2, m2, out2 = bench.measure([bench.TALLY], local)
            same = [l for l in out.splitlines() if not l.startswith("(")][-2:] == out2.splitlines()[-2:]
            bench.row(f"{size} load CSV, then rfm", w2, m2, note="same totals" if same else "TOTALS DIFFER")
        finally:
            subprocess.run([os.path.join(bench.ROOT, "scripts", "pg-test-server"), "stop", folder])
