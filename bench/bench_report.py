#!/usr/bin/env python3
"""bench_report.py — what the visual report costs: the file's size, the time
mmsim takes to write it, and the time a browser takes to open it, for the
machines the issue names (a 4 GiB machine with 10^5 events) and a few more.

Each case is a scenario run with --report; mmsim's CPU time (user + sys,
median of --runs) is beside the same scenario without --report in the same
run — the report's own cost. The browser side loads the file in headless
Chromium (tests/browser.py) --runs times and prints the navigation's
loadEventEnd (HTML parsed, the map's PNG and every SVG laid out) and when
the page's script has unpacked the frame runs and finished its self-test.

Usage: bench/bench_report.py [--runs N] [PATH/TO/mmsim]"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from browser import Browser, chromium  # noqa: E402

CASES = [
    ("x86_64 4G, 10^5 events", ["--arch", "x86_64", "--mem", "4G"],
     "repeat 1000 alloc_pages b$i GFP_KERNEL|__GFP_NOWARN 10\n"
     "repeat 30000 alloc_pages x$i GFP_KERNEL|__GFP_NOWARN 0\n"
     "repeat 100000 alloc_pages z$i GFP_KERNEL|__GFP_NOWARN 0\n"),
    ("i386 4G, fragmented", ["--arch", "i386", "--mem", "4G"],
     "spawn c\nmmap c 0 2G rw- private,anonymous as pc\nmadvise c pc 2G MADV_NOHUGEPAGE\n"
     "touch c pc 2G write\nfragment c pc 2G\n"),
    ("x86_64 64G, a process", ["--arch", "x86_64", "--mem", "64G"],
     "spawn a\nmmap a 0x10000000 8G rw- private,anonymous as m\ntouch a m 1G write\n"),
    ("x86_64 1T, idle", ["--arch", "x86_64", "--mem", "1T"], "verify\n"),
]


def cpu_of(cmd, script):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        sys.exit("bench_report: %s failed: %s" % (" ".join(cmd), r.stderr[-300:]))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("mmsim", nargs="?", default=os.path.join(HERE, "..", "build", "mmsim"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench_report.")
    browser = Browser(os.path.join(tmp, "profile")) if chromium() else None
    print("%-26s %10s %22s %22s %18s %18s" % ("case", "bytes", "mmsim CPU s (report)",
                                              "mmsim CPU s (without)", "loadEventEnd ms",
                                              "script done ms"))
    for name, machine, script in CASES:
        path = os.path.join(tmp, "r.html")
        with_report = [cpu_of([args.mmsim] + machine + ["--report", path, "-"], script)
                       for _ in range(args.runs)]
        without = [cpu_of([args.mmsim] + machine + ["-"], script) for _ in range(args.runs)]
        load, done = [], []
        for _ in range(args.runs if browser else 0):
            session, started = browser.open("file://%s#selftest" % path)
            found = None
            while not found and time.time() - started < 120:
                time.sleep(0.01)
                found = browser.evaluate(session, "(document.getElementById('selftest') || {}).textContent")
            load.append(browser.evaluate(session, "performance.getEntriesByType('navigation')[0].loadEventEnd"))
            done.append(json.loads(found)["load_ms"])
        fmt = lambda v: "%.3f/%.3f/%.3f" % (min(v), statistics.median(v), max(v))
        fmt_ms = lambda v: ("%d/%d/%d" % (min(v), statistics.median(v), max(v))) if v else "-"
        print("%-26s %10d %22s %22s %18s %18s" % (name, os.path.getsize(path), fmt(with_report),
                                                   fmt(without), fmt_ms(load), fmt_ms(done)))
    if browser:
        browser.close()
    print("(min/median/max of %d runs; the browser is headless Chromium %s)" %
          (args.runs, "found" if browser else "missing: no load times"))


main()
