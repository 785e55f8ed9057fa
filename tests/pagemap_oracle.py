#!/usr/bin/env python3
"""pagemap_oracle.py — /proc/self/pagemap read by a program, against the real
kernel's (tests/fixtures/oracle/pagemap/, captured by tools/oracle/guest-pagemap.sh).

The same program (tools/oracle/guest-user/pagemapprobe.c) runs on mmsim's
kernel, i386 and x86_64 with 512 MiB, and every line it prints must be the
real kernel's: each page's present, swap, file, exclusive and soft-dirty
bits and whether a frame is shown, at each step, and the errors.

usage: pagemap_oracle.py MMSIM SOURCE_DIR   (exit 77: no compiler for the guest)
"""
import os
import subprocess
import sys
import tempfile

from guest_programs import ARCHES, build_or_skip



def probe_lines(text):
    """The program's lines about its steps."""
    return [l for l in text.splitlines() if l.split(" ", 1)[0] in ("P1", "P2", "P3", "P4", "TEXT", "E")]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    mmsim, src = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for arch, flag in ARCHES:
            prog = build_or_skip(src, "pagemapprobe", arch, flag, tmp)
            with open(os.path.join(src, "tests/fixtures/oracle/pagemap/%s-512M.txt" % arch)) as f:
                real = probe_lines(f.read())
            scenario = "install %s /user/pagemapprobe\nspawn p /user/pagemapprobe\nexecute p\n" % prog
            r = subprocess.run([mmsim, "--arch", arch, "--mem", "512M", "--cmdline", "norandmaps", "-"],
                               input=scenario, capture_output=True, text=True, timeout=300)
            sim = probe_lines(r.stdout)
            if r.returncode or len(real) < 60 or sim != real:
                failed += 1
                first = next((i for i in range(max(len(real), len(sim)))
                              if i >= len(real) or i >= len(sim) or real[i] != sim[i]), None)
                print("FAIL: %s: exit %d; line %s: real %r, mmsim %r" % (
                    arch, r.returncode, first, real[first] if first is not None and first < len(real) else None,
                    sim[first] if first is not None and first < len(sim) else None))
            else:
                print("ok: %s: %d lines agree with the real kernel" % (arch, len(real)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
