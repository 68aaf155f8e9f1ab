#!/usr/bin/env python3
"""Benchmarks of the release `tally`: whole-process wall time and peak memory (ru_maxrss
of that one child, via os.wait4), median of N runs after a warm-up.

  python3 scripts/bench.py core        start-up (`tally -e '1+1'`) and the 1,000-formula chain
  python3 scripts/bench.py all         everything available

The recalculation figure is the time Tally itself reports with `set timer on` for the
statement that redefines the root of the chain (parse, recalc of 1,000 formulas, and
rendering the change list), because process start-up would drown it.
"""
import os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TALLY = os.path.join(ROOT, ".build", "release", "tally")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


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
        times = [float(t.replace(",", "")) for t in re.findall(r"^\(([\d.,]+) ms\)$", out, re.M)]
        redefs = times[-5:]
        med = statistics.median(redefs) / 1000
        row(f"recalc: redefine root of a {n}-formula chain", med, m, 0.005,
            note=f"(in-process, median of {len(redefs)}; whole script {w:.2f} s)")
    finally:
        os.unlink(path)


def main(argv):
    what = argv[1] if len(argv) > 1 else "all"
    if what in ("-h", "--help"):
        print(__doc__); return 0
    if not os.path.exists(TALLY):
        sys.exit("bench: build first: swift build -c release --product tally")
    print(f"tally bench, {RUNS} runs each (median wall, max peak RSS)")
    if what in ("core", "all"):
        core()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
