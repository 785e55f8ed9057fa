#!/usr/bin/env python3
"""trace_test.py — `mmsim --trace FILE`: the kernel's trace events as JSON lines.

A scenario on x86_64 1G allocates and frees slab objects and pages, compacts
every zone (one mm_compaction_begin and _end each), runs a
process that faults, then one that asks for more memory than there is
(reclaim, then the OOM killer), reading /proc/vmstat before and after. The
trace must agree with the kernel's own counters: the pages its
kmem:mm_page_alloc events hand out add up to what pgalloc_* grew by, its
kmem:mm_page_free events to what pgfree grew by, its page-fault events to
pgfault; every kmalloc is kfree'd with the pointer it returned and got at
least what it asked for; oom:mark_victim names the task the kernel killed;
the clock never runs backwards. --trace-events keeps only what it names,
--trace-limit stops at N lines and counts the rest in a last line, two runs
write the same bytes, the scenario prints the same traced or not, and bad options are one error line with exit 2.

usage: trace_test.py PATH/TO/mmsim      exit 0 when all holds
"""

import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

SCENARIO = """cat /proc/vmstat | grep -E "^(pgalloc_|pgfree |pgfault )"
repeat 50 kmalloc k$i 100
repeat 50 kfree k$i
repeat 20 alloc_pages p$i GFP_KERNEL 3
repeat 20 free_pages p$i
sysctl -q -w vm.compact_memory=1
spawn p
mmap p 0x10000000 4M rw- private,anonymous
madvise p 0x10000000 4M nohugepage
touch p 0x10000000 4M write
spawn hog
mmap hog 0x40000000 960M rw- private,anonymous
touch hog 0x40000000 960M write
cat /proc/vmstat | grep -E "^(pgalloc_|pgfree |pgfault )"
dmesg | grep "Killed process"
"""
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(mmsim, trace, *extra, text=SCENARIO):
    cmd = [mmsim, "--arch", "x86_64", "--mem", "1G", "--trace", trace] + list(extra) + ["-e", text]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def vmstat_blocks(stdout):
    """The two vmstat readings: {name: value} each."""
    blocks, cur = [], None
    for line in stdout.splitlines():
        m = re.match(r"^(pgalloc_\w+|pgfree|pgfault) (\d+)$", line)
        if not m:
            continue
        if cur is None or m.group(1) in cur:
            cur = {}
            blocks.append(cur)
        cur[m.group(1)] = int(m.group(2))
    return blocks


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    mmsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trace.jsonl")
        p = run(mmsim, path)
        check(p.returncode == 0, "the scenario runs (%s)" % p.stderr.strip())
        raw = open(path).read()
        events = [json.loads(line) for line in raw.splitlines()]
        kinds = collections.Counter(e["event"] for e in events)
        before, after = vmstat_blocks(p.stdout)[:2]
        grew = lambda key: after[key] - before[key]

        allocated = sum(1 << e["fields"]["order"] for e in events
                        if e["event"] == "kmem:mm_page_alloc" and e["fields"]["pfn"] != -1)
        pgalloc = sum(grew(k) for k in after if k.startswith("pgalloc_"))
        check(allocated == pgalloc, "mm_page_alloc's pages (%d) are what pgalloc_* grew by (%d)"
              % (allocated, pgalloc))
        freed = sum(1 << e["fields"]["order"] for e in events if e["event"] == "kmem:mm_page_free")
        check(freed == grew("pgfree"), "mm_page_free's pages (%d) are what pgfree grew by (%d)"
              % (freed, grew("pgfree")))
        faults = kinds["exceptions:page_fault_user"] + kinds["exceptions:page_fault_kernel"]
        check(faults >= grew("pgfault") > 1024,
              "page-fault events (%d) cover pgfault's growth (%d: the 4M written page by page)"
              % (faults, grew("pgfault")))
        check(all(e["fields"]["gfp_flags"] for e in events if "gfp_flags" in e["fields"]),
              "every GFP field is named")

        live = {}
        for e in events:
            if e["event"] == "kmem:kmalloc":
                f = e["fields"]
                check(f["bytes_alloc"] >= f["bytes_req"] == 100 and f["ptr"].startswith("0x"),
                      "kmalloc of 100 bytes got at least that (%s)" % f)
                live[f["ptr"]] = True
            elif e["event"] == "kmem:kfree":
                live.pop(e["fields"]["ptr"], None)
        check(kinds["kmem:kmalloc"] == 50 and not live,
              "50 kmallocs, each kfree'd with its pointer (%d left)" % len(live))

        killed = re.search(r"Killed process (\d+) \((\w+)\)", p.stdout)
        victims = [e for e in events if e["event"] == "oom:mark_victim"]
        check(killed and len(victims) == 1 and victims[0]["fields"]["pid"] == int(killed.group(1)),
              "oom:mark_victim names the killed task (%s, %s)" % (victims, killed and killed.group(0)))
        check(kinds["vmscan:mm_vmscan_direct_reclaim_begin"] ==
              kinds["vmscan:mm_vmscan_direct_reclaim_end"] > 0, "direct reclaim begins and ends")
        wakes = [e["fields"]["zid"] for e in events if e["event"] == "vmscan:mm_vmscan_kswapd_wake"]
        # x86_64's node_zones[]: DMA 0, DMA32 1, Normal 2, Movable 3, Device 4.
        check(wakes and all(0 <= z <= 3 for z in wakes), "kswapd is woken for a zone (%s)" % wakes)
        # compact_memory compacts each populated zone once (x86_64 1G: DMA and DMA32).
        begins = [e["fields"] for e in events if e["event"] == "compaction:mm_compaction_begin"]
        ends = [e["fields"] for e in events if e["event"] == "compaction:mm_compaction_end"]
        check(len(begins) == len(ends) == 2 and
              all(b["zone_start"] == e["zone_start"] < e["zone_end"] and
                  e["status"] in ("complete", "partial_skipped", "success", "contended")
                  for b, e in zip(begins, ends)),
              "compaction begins and ends once a zone (%s, %s)" % (begins, ends))
        check(all(a["ts_ns"] <= b["ts_ns"] for a, b in zip(events, events[1:])),
              "the clock never runs backwards")
        check(any(e["comm"] == "hog" and e["pid"] > 1 for e in events),
              "events carry the task they happened in")

        # Tracing watches: the machine does exactly what it does untraced.
        plain = subprocess.run([mmsim, "--arch", "x86_64", "--mem", "1G", "-e", SCENARIO],
                               capture_output=True, text=True, timeout=300)
        check(plain.stdout == p.stdout and plain.returncode == p.returncode,
              "the scenario prints the same with and without --trace")

        again = os.path.join(tmp, "again.jsonl")
        run(mmsim, again)
        check(open(again).read() == raw, "two runs write the same trace, byte for byte")

        only = os.path.join(tmp, "only.jsonl")
        run(mmsim, only, "--trace-events", "oom,kmem:kfree")
        names = collections.Counter(json.loads(line)["event"] for line in open(only))
        check(set(names) == {"oom:mark_victim", "kmem:kfree"} and names["kmem:kfree"] == kinds["kmem:kfree"],
              "--trace-events keeps only what it names (%s)" % dict(names))

        cut = os.path.join(tmp, "cut.jsonl")
        run(mmsim, cut, "--trace-limit", "100")
        lines = open(cut).read().splitlines()
        last = json.loads(lines[-1])
        check(len(lines) == 101 and lines[:100] == raw.splitlines()[:100] and
              last == {"event": "trace:dropped", "count": len(events) - 100, "limit": 100},
              "--trace-limit 100 writes 100 events and counts the rest (%s)" % lines[-1])

        # A real program (--exec), where the oracle cache has Debian's busybox-static.
        cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                             "mmsim-oracle", "extract")
        boxes = sorted(glob.glob(os.path.join(cache, "busybox-static_*_amd64", "bin", "busybox")))
        if boxes:
            prog = os.path.join(tmp, "exec.jsonl")
            ex = subprocess.run([mmsim, "--arch", "x86_64", "--trace", prog, "--trace-events",
                                 "exceptions", "--exec", boxes[-1], "echo", "hi"],
                                capture_output=True, text=True, timeout=300)
            faults = [json.loads(line) for line in open(prog)]
            check(ex.returncode == 0 and ex.stdout == "hi\n" and faults and
                  all(e["comm"] == "busybox" and e["event"].startswith("exceptions:page_fault_")
                      for e in faults),
                  "--exec busybox echo hi: its page faults, in its name (%d)" % len(faults))
        else:
            print("trace_test: no busybox-static in the oracle cache: --exec not checked")

        for args, word in ((["--trace-limit", "0"], "--trace-limit"),
                           (["--trace-events", "a,,b"], "--trace-events")):
            bad = run(mmsim, os.path.join(tmp, "bad.jsonl"), *args, text="echo hi")
            check(bad.returncode == 2 and word in bad.stderr and bad.stderr.count("\n") == 1,
                  "%s: one error line, exit 2 (%d: %s)" % (args, bad.returncode, bad.stderr.strip()))
    print("trace_test: %s" % ("%d failed" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
