#!/usr/bin/env python3
"""sweep_test.py — tools/sweep, as a researcher uses it.

A grid of 16 runs (two architectures, two RAM sizes, two seeds, two values
of a sysctl) with a scenario that faults and forks: every run is one JSON
line in grid order, its figures are the machine's (MemTotal follows --mem,
the sysctl figure the swept value, the fault count the scenario's), and
the output is the same byte for byte with one job or two. The same grid
as a Slurm job array, run here with the script's --dry-run, collects to
the same lines. Bad usage is one error line and exit 2; a run mmsim
refuses is a line with its exit status and error, not a failed sweep.

usage: sweep_test.py PATH/TO/mmsim      exit 0 when all holds
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(os.path.dirname(HERE), "tools", "sweep")
SCENARIO = ("spawn p\nmmap p 0x10000000 8M rw- private,anonymous\n"
            "touch p 0x10000000 8M write\nfork p q\ntouch q 0x10000000 1M write\nrun\n")
FIGURES = ("meminfo:MemTotal,meminfo:MemFree,vmstat:pgfault,sysctl:vm.min_free_kbytes,"
           "zoneinfo:Normal:min,zoneinfo:DMA32:min,exit")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def sweep(mmsim, *args, jobs=None):
    cmd = [sys.executable, SWEEP, "--mmsim", mmsim] + list(args)
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    mmsim = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(tmp, "fork.mms")
        with open(scenario, "w") as f:
            f.write(SCENARIO)
        grid = ["--arch", "i386,x86_64", "--mem", "512M,1G", "--seed", "1-2",
                "--sysctl", "vm.min_free_kbytes=4096,8192", "--scenario", scenario,
                "--figure", FIGURES]
        one = sweep(mmsim, *grid, jobs=1)
        two = sweep(mmsim, *grid, jobs=2)
        check(one.returncode == 0 and two.returncode == 0,
              "the sweep exits 0 (%d, %d: %s)" % (one.returncode, two.returncode, two.stderr.strip()))
        check(one.stdout == two.stdout, "one job and two give the same lines, byte for byte")
        lines = [json.loads(line) for line in one.stdout.splitlines()]
        check(len(lines) == 16, "16 runs, one line each (got %d)" % len(lines))
        for i, rec in enumerate(lines):
            p, fig = rec["params"], rec["figures"]
            check(rec["run"] == i and rec["exit"] == 0, "run %d ran (%s)" % (i, rec.get("error")))
            # The grid's order: the last axis (the scenario, then the sysctl) changes fastest.
            want = {"arch": ["i386", "x86_64"][i // 8], "mem": ["512M", "1G"][i // 4 % 2],
                    "seed": ["1", "2"][i // 2 % 2],
                    "sysctl:vm.min_free_kbytes": ["4096", "8192"][i % 2], "scenario": scenario}
            check(p == want, "run %d has the grid's parameters %s (got %s)" % (i, want, p))
            check(fig["sysctl:vm.min_free_kbytes"] == int(want["sysctl:vm.min_free_kbytes"]),
                  "run %d: the sysctl figure is the swept value" % i)
            total_mib = fig["meminfo:MemTotal"] / 1024
            ram = 512 if want["mem"] == "512M" else 1024
            check(ram * 0.85 < total_mib < ram, "run %d: MemTotal %d kB fits --mem %s" %
                  (i, fig["meminfo:MemTotal"], want["mem"]))
            # 8 MiB written: 2048 faults, or 4 where huge pages back it (THP), and the child's.
            check(fig["vmstat:pgfault"] and fig["vmstat:pgfault"] > 4,
                  "run %d: the scenario's faults are counted (%s)" % (i, fig["vmstat:pgfault"]))
        # The seed only orders tasks: these runs have one task each, so it changes nothing.
        check(all(lines[i]["figures"] == lines[i + 2]["figures"] for i in (0, 1, 4, 5)),
              "two seeds of a one-task scenario report the same figures")
        # A larger min_free_kbytes raises the watermarks of the zone that has the most memory.
        for i in range(0, 16, 2):
            zone = "Normal" if lines[i]["params"]["arch"] == "i386" else "DMA32"
            lo, hi = (lines[i + k]["figures"]["zoneinfo:%s:min" % zone] for k in (0, 1))
            check(lo and hi and 1.8 < hi / lo < 2.2,
                  "runs %d, %d: doubling min_free_kbytes doubles %s's min (%s, %s)" %
                  (i, i + 1, zone, lo, hi))

        # The same grid as a Slurm job array, run here.
        script, results = os.path.join(tmp, "sweep.sbatch"), os.path.join(tmp, "array")
        gen = sweep(mmsim, *grid, "--slurm", script, "--dir", results)
        check(gen.returncode == 0, "the job array is written (%s)" % gen.stderr.strip())
        text = open(script).read()
        check("#SBATCH --array=0-15" in text, "the script is an array of 16 tasks")
        dry = subprocess.run(["bash", script, "--dry-run", "2"], capture_output=True, text=True,
                             timeout=600)
        check(dry.returncode == 0, "the --dry-run of the script runs (%s)" % dry.stderr.strip())
        outside = subprocess.run(["bash", script], capture_output=True, text=True, timeout=60,
                                 env={k: v for k, v in os.environ.items()
                                      if k != "SLURM_ARRAY_TASK_ID"})
        check(outside.returncode != 0 and "Slurm" in outside.stderr,
              "outside Slurm and without --dry-run the script refuses")
        got = sweep(mmsim, "--collect", results)
        check(got.returncode == 0 and got.stdout == one.stdout,
              "the job array's results collect to the sweep's lines")

        # Bad usage: one line, exit 2.
        for args, word in ((["--figure", "meminfo:MemFree,nonsense"], "nonsense"),
                           (["--mem", "1G,,2G", "--figure", "exit"], "empty"),
                           (["--seed", "9-3", "--figure", "exit"], "range"),
                           (["--arch", "x86_64"], "figure")):
            bad = sweep(mmsim, *args)
            check(bad.returncode == 2 and word in bad.stderr and bad.stderr.count("\n") == 1,
                  "bad usage %s: exit 2 and one line naming '%s' (got %d: %s)" %
                  (args, word, bad.returncode, bad.stderr.strip()))
        # A machine mmsim refuses is a run like any other.
        refused = sweep(mmsim, "--mem", "8M,64M", "--figure", "meminfo:MemTotal,exit")
        recs = [json.loads(line) for line in refused.stdout.splitlines()]
        check(refused.returncode == 0 and len(recs) == 2 and recs[0]["exit"] == 2 and
              "16M" in recs[0]["error"] and recs[1]["exit"] == 0,
              "a refused machine is a line with its exit status and error (%s)" % refused.stdout)
    print("sweep_test: %s" % ("%d failed" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
