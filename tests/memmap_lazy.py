#!/usr/bin/env python3
"""memmap_lazy.py — a machine whose struct pages are written when first used
(--memmap lazy, the default) prints and does exactly what the same machine
with every struct page written at boot (--memmap eager) does.

For machines of both architectures and profiles — all-lowmem and HighMem
i386, x86_64 with and without RAM above 4 GiB, several CPUs, mem=, a CMA
area, holes from memmap= — one scenario runs both ways: it reads the struct
page of a free block nobody has used (so that block is written while it is
still on the free list), frees a page that is already free (the kernel's
bad-page report), allocates blocks of every zone until well past that
block, frees some, takes a contiguous range (isolation and migration),
runs processes that fault, fork and copy on write, compacts, drops caches,
and then prints every /proc file the machine has, the kernel log, and
verify's verdict. The two outputs and exit statuses must be identical,
byte for byte: which pfn each allocation got, every counter, every line.

usage: memmap_lazy.py PATH/TO/mmsim      exit 0 when every machine agrees
"""

import difflib
import re
import subprocess
import sys

# The process directories are left out: the scenario's processes show in
# /proc/PID/{maps,status,smaps} through `pmap`, `ps` and the counters.
NOT_FILES = {"self", "sys"}

# (arch, --mem, extra options, physical address inside a free block of RAM,
#  MiB one process writes at the end: more than the machine can give, so
#  reclaim runs out and the OOM killer picks it)
MACHINES = [
    ("i386", "512M", [], 0x10000000, 490),
    ("i386", "2G", ["--cpus", "3"], 0x20000000, 1900),
    ("i386", "1G", ["--profile", "classic"], 0x10000000, 0),
    ("i386", "3G", ["--cmdline", "vmalloc=256M"], 0x08000000, 0),
    ("x86_64", "1G", [], 0x30000000, 960),
    ("x86_64", "5G", ["--cpus", "4"], 0x100400000, 0),
    ("x86_64", "6G", ["--cmdline", "mem=4608M"], 0x100400000, 0),
    ("x86_64", "3G", ["--cmdline", "cma=64M memmap=256M$0x40000000"], 0x60000000, 2600),
    ("x86_64", "2G", ["--profile", "classic"], 0x40000000, 0),
]
# Host time, which differs between any two runs.
HOST_TIME = re.compile(r"\d+\.\d+ ms\b")


def proc_files(mmsim):
    p = subprocess.run([mmsim, "-e", "ls /proc"], capture_output=True, text=True, timeout=60)
    names = [n for n in p.stdout.split() if not n.isdigit() and n not in NOT_FILES]
    if p.returncode or "meminfo" not in names:
        sys.exit("memmap_lazy.py: cannot list /proc: %s" % p.stderr.strip())
    return ["/proc/" + n for n in names] + ["/proc/sys/vm/lowmem_reserve_ratio",
                                            "/proc/sys/vm/min_free_kbytes"]


def scenario(arch, probe, files, hog):
    base = 0xc0000000 if arch == "i386" else 0xffff888000000000
    lines = [
        "walk %#x" % (base + probe),               # a free block's struct page, read
        "free_pfn %#x 0" % ((probe >> 12) + 5),      # a page of a free block, freed again
        "repeat 40 alloc_pages big$i GFP_KERNEL 10",
        "repeat 40 show big$i",
        "repeat 8 alloc_pages dma$i GFP_DMA 2",
        "repeat 8 show dma$i",
        "repeat 30 alloc_pages hi$i GFP_HIGHUSER_MOVABLE 9",
        "repeat 30 show hi$i",
        "repeat 20 free_pages big$i",
        "repeat 200 alloc_pages small$i GFP_KERNEL 0",
        "show small199",
        "alloc_contig contig 16M",
        "spawn p",
        "mmap p 0x10000000 48M rw- private,anonymous",
        "touch p 0x10000000 48M write",
        "fork p q",
        "touch q 0x10000000 12M write",
        "sysctl -q -w vm.compact_memory=1",
        "sysctl -q -w vm.drop_caches=3",
        "repeat 10 kmalloc k$i 4096",
        "repeat 10 vmalloc v$i 65536",
        "drain",
        "pmap p",
        "ps",
    ]
    if hog:
        lines += ["spawn hog", "mmap hog 0x40000000 %dM rw- private,anonymous" % hog,
                  "touch hog 0x40000000 %dM write" % hog, "ps"]
    lines += ["cat %s" % f for f in files]
    lines += ["dmesg", "verify"]
    return "\n".join(lines) + "\n"


def run(mmsim, arch, mem, extra, memmap, text):
    cmd = [mmsim, "--arch", arch, "--mem", mem, "--memmap", memmap] + extra + ["-e", text]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return p.returncode, HOST_TIME.sub("# ms", p.stdout), p.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    mmsim = sys.argv[1]
    bad = 0
    files = proc_files(mmsim)
    for arch, mem, extra, probe, hog in MACHINES:
        text = scenario(arch, probe, files, hog)
        name = " ".join([arch, mem] + extra)
        eager = run(mmsim, arch, mem, extra, "eager", text)
        lazy = run(mmsim, arch, mem, extra, "lazy", text)
        if eager[0] != 0 or "verify: ok" not in eager[1]:
            print("%s: the eager machine did not run the scenario (exit %d): %s" %
                  (name, eager[0], (eager[2] or eager[1][-400:]).strip()))
            bad += 1
            continue
        if hog and "Out of memory: Killed process" not in eager[1]:
            print("%s: the OOM killer never ran: the scenario tests less than it says" % name)
            bad += 1
        if eager != lazy:
            bad += 1
            print("%s: --memmap lazy differs from --memmap eager (exit %d vs %d)" %
                  (name, eager[0], lazy[0]))
            for side, a, b in (("stdout", eager[1], lazy[1]), ("stderr", eager[2], lazy[2])):
                diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "eager", "lazy",
                                                 lineterm="", n=1))
                if diff:
                    print("  %s:\n    %s" % (side, "\n    ".join(diff[:40])))
            continue
        print("%s: identical (%d lines)" % (name, eager[1].count("\n")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
