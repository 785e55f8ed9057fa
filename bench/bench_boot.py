#!/usr/bin/env python3
"""bench_boot.py — what a user of the mmsim command waits for: boot time and
host memory against RAM size, the scenario interpreter's throughput, and
/proc rendering on a large machine.

Every number is measured on child processes of the real `mmsim` command
(os.wait4 gives each child's user + system CPU time and peak RSS), several
runs each, min / median / max:

  boot      `mmsim --arch A --mem SIZE --memmap M -e 'cat /proc/meminfo'`
            for x86_64 1G ... 1T and i386 64M ... 4G, M lazy (the default:
            struct pages written when first used) and eager (all written at
            boot): CPU seconds, wall seconds, and the peak resident set of
            the process (the simulated RAM is host memory mmsim maps
            lazily). An eager boot that would need more than half of this
            host's memory (16 MiB per GiB of the RAM's span) is not run.
  commands  `repeat N alloc_pages p$i GFP_KERNEL 0` then
            `repeat N free_pages p$i` on x86_64 4G, for N and 2N: the
            difference, per command, is what one scenario command costs (the
            boot cancels out). The
            page allocator's own share is bench_page_alloc's order-0 pair
            (tens of ns): the rest is the interpreter.
  /proc     `repeat N cat /proc/FILE` on x86_64 64G (output to /dev/null),
            for N and 2N: CPU microseconds per rendering, for the files a
            large machine makes long (zoneinfo, buddyinfo, pagetypeinfo,
            meminfo, vmstat, slabinfo).
  sweep     tools/sweep over x86_64 256M ... 8G and 100 seeds (1000 runs of
            a scenario that faults and forks), all cores: runs per second.

There is no peer to compare with here: these are mmsim's own costs, the
numbers issue 15's lazy struct pages improve (eager is the baseline). A size mmsim fails to
boot is printed with mmsim's error line, and the exit status is then 1.
Not a test.

Usage: bench/bench_boot.py [--mmsim PATH] [-r REPS] [--max-mem SIZE] [-c CASE]
                          [--sweep-runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MMSIM = os.path.join(HERE, "..", "build", "mmsim")

X86_64_SIZES = ["1G", "4G", "16G", "64G", "256G", "512G", "1T"]
I386_SIZES = ["64M", "256M", "1G", "2G", "4G"]
PROC_FILES = ["zoneinfo", "buddyinfo", "pagetypeinfo", "meminfo", "vmstat", "slabinfo"]


def size_bytes(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = text.strip().upper()
    if text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def run_once(cmd):
    """CPU seconds (user + system), wall seconds and peak RSS in MiB of one child."""
    t0 = time.monotonic()
    with open(os.devnull, "w") as null:
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    wall = time.monotonic() - t0
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise BootFailed(err.strip().splitlines()[0] if err.strip() else "exit status %d" % status)
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024.0


class BootFailed(Exception):
    """mmsim refused or failed the run; the message is its first error line."""


def runs(cmd, reps):
    return [run_once(cmd) for _ in range(reps)]


def spread(values):
    return min(values), statistics.median(values), max(values)


def boot_cmd(mmsim, arch, mem, script, memmap="lazy"):
    return [mmsim, "--arch", arch, "--mem", mem, "--memmap", memmap, "-e", script]


def host_mem_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def eager_rss_estimate(arch, mem):
    """Bytes of struct pages an eager boot writes: 64 per 4 KiB page of the RAM's span."""
    ram = size_bytes(mem)
    if arch == "i386":
        ram = min(ram, 4 << 30)
    elif ram > 1009 << 30:
        ram += (1 << 40) - (4 << 30)	# past 1009 GiB, QEMU puts RAM above 4 GiB at 1 TiB
    return ram // 4096 * 64


failures = []


def bench_boot(mmsim, reps, max_mem):
    print("boot: mmsim --arch A --mem SIZE --memmap lazy|eager -e 'cat /proc/meminfo'")
    print("  %-7s %-5s %-6s %26s %9s %10s" % ("arch", "mem", "memmap", "CPU s min / median / max",
                                              "wall s", "RSS MiB"))
    limit = host_mem_bytes() // 2
    for arch, sizes in (("x86_64", X86_64_SIZES), ("i386", I386_SIZES)):
        for mem in sizes:
            if size_bytes(mem) > max_mem:
                continue
            for memmap in ("lazy", "eager"):
                if memmap == "eager" and eager_rss_estimate(arch, mem) > limit:
                    print("  %-7s %-5s %-6s not run: about %d GiB of struct pages, more than half "
                          "of this host" % (arch, mem, memmap, eager_rss_estimate(arch, mem) >> 30))
                    continue
                try:
                    r = runs(boot_cmd(mmsim, arch, mem, "cat /proc/meminfo", memmap), reps)
                except BootFailed as e:
                    print("  %-7s %-5s %-6s FAILED: %s" % (arch, mem, memmap, e))
                    failures.append("%s %s %s" % (arch, mem, memmap))
                    continue
                cpu = spread([x[0] for x in r])
                print("  %-7s %-5s %-6s %8.3f / %7.3f / %7.3f %9.3f %10.0f"
                      % (arch, mem, memmap, cpu[0], cpu[1], cpu[2],
                         statistics.median([x[1] for x in r]), max(x[2] for x in r)))
                sys.stdout.flush()


def bench_sweep(mmsim, runs_wanted):
    sizes = ["256M", "512M", "768M", "1G", "1536M", "2G", "3G", "4G", "6G", "8G"]
    seeds = max(1, runs_wanted // len(sizes))
    sweep = os.path.join(HERE, "..", "tools", "sweep")
    cmd = [sys.executable, sweep, "--mmsim", mmsim, "--arch", "x86_64", "--mem", ",".join(sizes),
           "--seed", "1-%d" % seeds, "-e",
           "spawn p; mmap p 0x10000000 32M rw- private,anonymous; touch p 0x10000000 32M write; "
           "fork p q; touch q 0x10000000 8M write; run",
           "--figure", "meminfo:MemFree,vmstat:pgfault,zoneinfo:DMA32:nr_free_pages"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    n = p.stdout.count("\n")
    ok = p.stdout.count('"exit": 0')
    print("\nsweep: tools/sweep, x86_64 %s..%s x %d seeds, %d cores" % (sizes[0], sizes[-1], seeds,
                                                                    os.cpu_count() or 1))
    print("  %d runs (%d ran clean) in %.1f s wall: %.1f runs/s" % (n, ok, wall, n / wall))
    if p.returncode or ok != len(sizes) * seeds:
        failures.append("sweep (%s)" % p.stderr.strip())


def per_op(mmsim, reps, arch, mem, script_for, ops):
    """CPU microseconds per op: runs of script_for(2 * ops) less runs of
    script_for(ops) (medians), so that the boot, the same in both, cancels."""
    one = statistics.median(x[0] for x in runs(boot_cmd(mmsim, arch, mem, script_for(ops)), reps))
    two = [x[0] for x in runs(boot_cmd(mmsim, arch, mem, script_for(2 * ops)), reps)]
    return [(v - one) * 1e6 / ops for v in spread(two)]


def bench_commands(mmsim, reps):
    n = 200000
    # Each unit of k is two commands: one alloc_pages and one free_pages.
    us = [v / 2 for v in per_op(
        mmsim, reps, "x86_64", "4G",
        lambda k: "repeat %d alloc_pages p$i GFP_KERNEL 0\nrepeat %d free_pages p$i" % (k, k), n)]
    print("\ncommands: repeat N alloc_pages + repeat N free_pages on x86_64 4G, N = %d and %d"
          % (n, 2 * n))
    print("  %-34s %6.2f / %6.2f / %6.2f us CPU per command" % ("alloc_pages / free_pages",
                                                                us[0], us[1], us[2]))


def bench_proc(mmsim, reps, max_mem):
    mem = "64G" if size_bytes("64G") <= max_mem else "4G"
    print("\n/proc: repeat N cat /proc/FILE on x86_64 %s, N and 2N" % mem)
    for name in PROC_FILES:
        # About a second of rendering for the second run, whatever the file costs.
        n = {"pagetypeinfo": 2000, "buddyinfo": 200000}.get(name, 20000)
        us = per_op(mmsim, reps, "x86_64", mem, lambda k: "repeat %d cat /proc/%s" % (k, name), n)
        print("  %-34s %6.1f / %6.1f / %6.1f us CPU per rendering (N = %d)"
              % (name, us[0], us[1], us[2], n))
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mmsim", default=DEFAULT_MMSIM)
    ap.add_argument("-r", "--reps", type=int, default=3)
    ap.add_argument("--max-mem", default="1T", help="largest RAM to boot (default 1T)")
    ap.add_argument("-c", "--case", choices=["boot", "commands", "proc", "sweep"])
    ap.add_argument("--sweep-runs", type=int, default=1000)
    a = ap.parse_args()
    if not os.access(a.mmsim, os.X_OK):
        sys.exit("bench_boot: no mmsim at %s: build it (cmake --build build) or pass --mmsim"
                 % a.mmsim)
    if not 1 <= a.reps <= 99:
        sys.exit("bench_boot: -r must be 1..99")
    max_mem = size_bytes(a.max_mem)
    print("bench_boot: %s, %d runs each; CPU = user + system time of the mmsim process"
          % (os.path.normpath(a.mmsim), a.reps))
    if a.case in (None, "boot"):
        bench_boot(a.mmsim, a.reps, max_mem)
    if a.case in (None, "commands"):
        bench_commands(a.mmsim, a.reps)
    if a.case in (None, "proc"):
        bench_proc(a.mmsim, a.reps, max_mem)
    if a.case in (None, "sweep"):
        bench_sweep(a.mmsim, a.sweep_runs)
    if failures:
        print("\nbench_boot: mmsim failed to boot %s" % ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
