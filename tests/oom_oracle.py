#!/usr/bin/env python3
"""oom_oracle.py — the OOM killer against the real kernel's
(tests/fixtures/oracle/oom/, captured by tools/oracle/guest-oom.sh).

The same program (tools/oracle/guest-user/oomprobe.c, `oomprobe run`: holders
of 40, 60 and 30 MiB at oom_score_adj 0, -500 and 500, then a grower) runs
on mmsim's kernel, for i386 and x86_64 with 256 MiB, and:

  * what the program prints — every oom_score, who was killed in what
    order, the oom_kill count — must equal the real kernel's line for line
    (pids are numbered in order of appearance on both sides);
  * the OOM report in dmesg must have the real kernel's lines, in its order
    and at its log levels, with every number masked: mmsim's values follow
    its own state. Left out on the real side: dump_stack's lines (mmsim
    prints no stack dump, see warn_alloc) and the task-table row of the
    guest's shell, which mmsim's run does not have. all_unreclaimable? is
    compared: kswapd's verdict (16 passes that freed nothing). Within a buddy line,
    the migratetype letters of the orders that have free blocks are masked
    with the counts, since which blocks are free is mmsim's own state.

usage: oom_oracle.py MMSIM SOURCE_DIR   (exit 77: no compiler for the guest)
"""
import os
import re
import subprocess
import sys
import tempfile

from guest_programs import ARCHES, build_or_skip

SECTIONS = ("===OOM_HOLD", "===OOM_SCORE", "===OOM_GROW", "===OOM_ALIVE")
# dump_stack()'s lines, which mmsim does not print
STACK = re.compile(r"^(CPU: \d+ PID: |Hardware name: |Call Trace:| <TASK>| </TASK>| \S+\+0x|"
                   r" \? |EIP: |RIP: |Code: |E?[A-Z]{2}X: |E?[SD]I: |DS: |RSP: |RAX: |RDX: |"
                   r"RBP: |R\d+: )")


def program_lines(text):
    """The program's sections, pids renumbered in order of appearance."""
    out, on, pids = [], False, {}
    for line in text.splitlines():
        if line.startswith("execute "):
            on = False
            continue
        if line.startswith("==="):
            on = line in SECTIONS
            if on:
                out.append(line)
            continue
        if on or line.startswith("oom_kill "):
            mt = re.match(r"^(held|pid) (\d+)(.*)$", line)
            if mt:
                line = "%s P%d%s" % (mt.group(1), pids.setdefault(mt.group(2), len(pids) + 1),
                                     mt.group(3))
            out.append(line)
    return out


def report_templates(text):
    """The OOM report's lines from the first "invoked oom-killer", as level + masked text."""
    out, started = [], False
    for line in text.splitlines():
        mt = re.match(r"^<(\d)>\[[ \d.]+\] (.*)$", line)
        if not mt:
            continue
        level, body = mt.groups()
        if "invoked oom-killer" in body:
            started = True
        if not started or STACK.match(body) or "is deprecated" in body:
            continue
        if re.match(r"^\[ *\d+\] +\d+ +\d+ .* sh$", body):
            continue
        if re.search(r"\d+\*\d+kB ", body):
            body = re.sub(r"\([UMEHCI]+\) ", "", body)
        if body.startswith("["):
            # a task-table row: its columns are right-aligned, so pids of other widths shift them
            body = re.sub(r" *\d+", " N", body)
        out.append(level + " " + re.sub(r"\d+", "N", body))
    return out


def run_mmsim(mmsim, arch, prog):
    scenario = "install %s /oomprobe\nspawn p /oomprobe run\nexecute p\ndmesg -r\n" % prog
    r = subprocess.run([mmsim, "--arch", arch, "--mem", "256M", "-"], input=scenario,
                       capture_output=True, text=True, timeout=600)
    if r.returncode:
        sys.exit("FAIL: %s: mmsim exited %d: %s" % (arch, r.returncode, r.stderr.strip()))
    return r.stdout


def compare(what, real, sim):
    if real == sim:
        return 0
    print("FAIL: %s differs (- real kernel, + mmsim):" % what)
    for i in range(max(len(real), len(sim))):
        a = real[i] if i < len(real) else "<none>"
        b = sim[i] if i < len(sim) else "<none>"
        if a != b:
            print("  line %d:\n  - %s\n  + %s" % (i + 1, a, b))
            break
    return 1


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    mmsim, src = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for arch, flag in ARCHES:
            prog = build_or_skip(src, "oomprobe", arch, flag, tmp)
            fixture = os.path.join(src, "tests/fixtures/oracle/oom/linux-6.1-%s-256M.txt" % arch)
            with open(fixture, errors="replace") as f:
                real = f.read()
            sim = run_mmsim(mmsim, arch, prog)
            failed += compare(arch + ": the program's lines", program_lines(real), program_lines(sim))
            rt, st = report_templates(real), report_templates(sim)
            if not rt:
                sys.exit("FAIL: %s: no OOM report in %s" % (arch, fixture))
            failed += compare(arch + ": the OOM report", rt, st)
    print("%d passed, %d failed" % (2 * len(ARCHES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
