#!/usr/bin/env python3
"""compact_oracle.py — fragmentation and compaction against the real kernel's
(tests/fixtures/oracle/compact/, captured by tools/oracle/guest-compact.sh).

The same program (tools/oracle/guest-user/compactprobe.c, `compactprobe 96
compact`: two interleaved 96 MiB areas, 63 of every 64 pages of the second
given back, then a write to /proc/sys/vm/compact_memory) runs on mmsim's
kernel with `mmsim --exec`, with 512 MiB — x86_64 always, i386 (the Unicorn
backend: minutes) when MMSIM_COMPACT_ORACLE_I386=1 — and:

  * every byte of the first area is intact after compaction, on both sides;
  * /proc/buddyinfo, /sys/kernel/debug/extfrag/unusable_index and
    extfrag_index have the kernel's layout (zones, 11 orders, "%d.%03d");
    extfrag_index is equal, value for value;
  * the counters of the compaction agree within tolerances: pages migrated
    and failed, pages isolated, pages the free scanner looked at (5-10%),
    pages the migrate scanner looked at (20%: where the scanners meet
    depends on where the boot left its few free blocks), and no direct or
    kcompactd compaction on either side;
  * fragmentation left as many lone free pages (order 0, within 5%), and
    compaction brought the unusable index at the pageblock order down to
    within 0.05 of the kernel's.

usage: compact_oracle.py MMSIM SOURCE_DIR   (exit 77: no compiler for the guest)
"""
import os
import re
import subprocess
import sys
import tempfile

from guest_programs import ARCHES, build_or_skip

INDEX_LINE = re.compile(r"^Node 0, zone +(\S+) ((-?\d+\.\d{3} ){11})$")
BUDDY_LINE = re.compile(r"^Node 0, zone +(\S+) +((\d+ +){11})$")
# counter: relative tolerance (None: must be equal)
TOLERANCE = {
    "pgmigrate_success": 0.05,
    "compact_isolated": 0.05,
    "compact_free_scanned": 0.10,
    "compact_migrate_scanned": 0.20,
    "compact_stall": None,
    "compact_fail": None,
    "compact_success": None,
    "compact_daemon_wake": None,
    "compact_daemon_migrate_scanned": None,
    "compact_daemon_free_scanned": None,
}


def sections(text):
    """{"TAG": [lines]} of the ===TAG sections."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("==="):
            cur = line[3:]
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out


def counters(lines):
    return {k: int(v) for k, v in (l.split() for l in lines if " " in l)}


def check(arch, real, sim):
    errors = []
    for tag in ("FRAGMENTED", "COMPACTED"):
        for sec, pat in (("_BUDDYINFO", BUDDY_LINE), ("_UNUSABLE", INDEX_LINE),
                         ("_EXTFRAG", INDEX_LINE)):
            r, s = real.get(tag + sec), sim.get(tag + sec)
            if r is None or s is None:
                errors.append(f"{tag}{sec}: missing ({'real' if r is None else 'mmsim'})")
                continue
            rz = [pat.match(l) for l in r]
            sz = [pat.match(l) for l in s]
            if not all(rz) or not all(sz):
                errors.append(f"{tag}{sec}: a line is not in the kernel's format: "
                              f"{[l for l, z in zip(s, sz) if not z] or [l for l, z in zip(r, rz) if not z]}")
                continue
            if [z.group(1) for z in rz] != [z.group(1) for z in sz]:
                errors.append(f"{tag}{sec}: zones {[z.group(1) for z in sz]}, "
                              f"the kernel's {[z.group(1) for z in rz]}")
            if sec == "_EXTFRAG" and r != s:
                errors.append(f"{tag}{sec} differs:\n  real  {r}\n  mmsim {s}")
        if real.get(tag + "_SELF") != sim.get(tag + "_SELF"):
            errors.append(f"{tag}_SELF: {sim.get(tag + '_SELF')}, the kernel's {real.get(tag + '_SELF')}")
    if sim.get("COMPACTED_SELF") != ["checked 24576 bad 0"]:
        errors.append(f"the data after compaction: {sim.get('COMPACTED_SELF')}")
    rc, sc = counters(real["COMPACTED_VMSTAT"]), counters(sim["COMPACTED_VMSTAT"])
    for name, tol in TOLERANCE.items():
        r, s = rc.get(name), sc.get(name)
        if r is None or s is None:
            errors.append(f"{name}: missing")
        elif tol is None and r != s:
            errors.append(f"{name} {s}, the kernel's {r}")
        elif tol is not None and abs(s - r) > tol * max(r, 1):
            errors.append(f"{name} {s}, the kernel's {r} (more than {tol:.0%} apart)")
    if abs(sc["pgmigrate_fail"] - rc["pgmigrate_fail"]) > 2:
        errors.append(f"pgmigrate_fail {sc['pgmigrate_fail']}, the kernel's {rc['pgmigrate_fail']}")

    def last_zone(lines):
        return [int(x) for x in lines[-1].split()[4:]] if BUDDY_LINE.match(lines[-1]) else None

    rb, sb = last_zone(real["FRAGMENTED_BUDDYINFO"]), last_zone(sim["FRAGMENTED_BUDDYINFO"])
    if rb and sb and abs(sb[0] - rb[0]) > 0.05 * rb[0]:
        errors.append(f"free order-0 blocks after fragmenting: {sb[0]}, the kernel's {rb[0]}")
    order = 10 if arch == "i386" else 9
    ru = float(real["COMPACTED_UNUSABLE"][-1].split()[4 + order])
    su = float(sim["COMPACTED_UNUSABLE"][-1].split()[4 + order])
    if abs(ru - su) > 0.05:
        errors.append(f"unusable index at order {order} after compaction: {su}, the kernel's {ru}")
    return errors


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    mmsim, src = sys.argv[1], sys.argv[2]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for arch, flag in ARCHES:
            if arch == "i386" and os.environ.get("MMSIM_COMPACT_ORACLE_I386") != "1":
                continue
            prog = build_or_skip(src, "compactprobe", arch, flag, tmp)
            fixture = os.path.join(src, f"tests/fixtures/oracle/compact/linux-6.1-{arch}-512M.txt")
            with open(fixture) as f:
                real = sections(f.read())
            run = subprocess.run([mmsim, "--arch", arch, "--mem", "512M", "--exec", prog, "96",
                                  "compact"], capture_output=True, text=True, timeout=900)
            if run.returncode:
                print(f"compact_oracle: {arch}: mmsim exited {run.returncode}:\n{run.stderr}",
                      file=sys.stderr)
                failed = True
                continue
            errors = check(arch, real, sections(run.stdout))
            for e in errors:
                print(f"compact_oracle: {arch}: {e}", file=sys.stderr)
            failed |= bool(errors)
            sc = counters(sections(run.stdout)["COMPACTED_VMSTAT"])
            rc = counters(real["COMPACTED_VMSTAT"])
            print(f"{arch}: pgmigrate_success {sc['pgmigrate_success']} (kernel {rc['pgmigrate_success']}), "
                  f"compact_isolated {sc['compact_isolated']} ({rc['compact_isolated']}), "
                  f"free_scanned {sc['compact_free_scanned']} ({rc['compact_free_scanned']}), "
                  f"migrate_scanned {sc['compact_migrate_scanned']} ({rc['compact_migrate_scanned']})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
