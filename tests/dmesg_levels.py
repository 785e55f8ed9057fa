#!/usr/bin/env python3
"""dmesg_levels.py — mmsim's kernel log against the real kernel's, line by line,
with each line's log level.

For every capture in tests/fixtures/oracle/levels/ (booted by
tools/oracle/capture with tools/oracle/guest-levels.sh, whose ===DMESG_RAW
section is `dmesg -r`: "<LEVEL>[time] text"), boot mmsim with the same
machine (and the CPU's phys-bits, where `capture --qemu-cpu` set them) and
command line and read `dmesg -r`. Every line mmsim prints must
be a line the real kernel printed, at the same level: the text with its
numbers masked must match one of the kernel's, and among the kernel's lines
of that shape one must have the same level. Lines whose text is the same
on both sides are also compared exactly for their numbers, where the machine
decides them (the memory map, zones, mem= and vmalloc= effects).

usage: dmesg_levels.py PATH/TO/mmsim      exit 0 when everything agrees
"""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = sorted(glob.glob(os.path.join(HERE, "fixtures", "oracle", "levels", "*.txt")))
LINE = re.compile(r"^<(\d+)>\[\s*\d+\.\d+\] ?(.*)$")
NUMBER = re.compile(r"0x[0-9a-fA-F]+|[0-9a-fA-F]*[0-9][0-9a-fA-F]*")
# "# qemu-cpu: qemu64,phys-bits=48" (capture --qemu-cpu): the CPU's address
# width decides QEMU's map past 1009 GiB, so mmsim gets the same --phys-bits
PHYS_BITS = re.compile(r"(?:^|,)phys-bits=(\d+)(?:,|$)")

# Lines whose numbers come from the machine and must agree exactly: the
# firmware map as the kernel sees it and what mem=/vmalloc= make of it.
EXACT = re.compile(r"^(BIOS-e820|user: |user-defined|e820: |last_pfn|Kernel command line|"
                   r"Unknown kernel command line|Command line:|\d+MB (HIGH|LOW)MEM available|"
                   r"  (DMA|DMA32|Normal|HighMem|Movable|Device) +(empty|\[mem)|Zone ranges|"
                   r"  node +0:|Initmem setup node|  mapped low ram|  low ram)")


def shape(text):
    return NUMBER.sub("#", text)


def header(path):
    h = {}
    for line in open(path, errors="replace"):
        if not line.startswith("# "):
            break
        k, _, v = line[2:].partition(":")
        h[k.strip()] = v.strip()
    return h


def kernel_lines(path):
    out, on = [], False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("==="):
            on = line == "===DMESG_RAW"
            continue
        m = on and LINE.match(line)
        if m:
            out.append((int(m.group(1)) & 7, m.group(2)))
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    mmsim = sys.argv[1]
    bad = compared = 0
    for path in FIXTURES:
        h = header(path)
        mib = int(h["ram"].rstrip("M"))
        extra = h["cmdline"]
        cmd = [mmsim, "--arch", h["arch"], "--mem", "%dM" % mib, "--cpus", "1",
               "--initrd", h.get("initrd-bytes", "0"), "--cmdline", extra]
        phys_bits = PHYS_BITS.search(h.get("qemu-cpu", ""))
        if phys_bits:
            cmd += ["--phys-bits", phys_bits.group(1)]
        cmd += ["-e", "dmesg -r"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            print("%s: mmsim failed: %s" % (os.path.basename(path), p.stderr.strip()))
            bad += 1
            continue
        real = kernel_lines(path)
        levels_of_shape, texts = {}, set()
        for level, text in real:
            levels_of_shape.setdefault(shape(text), set()).add(level)
            texts.add(text)
        for line in p.stdout.splitlines():
            m = LINE.match(line)
            if not m:
                print("%s: mmsim printed a line without <LEVEL>: %r" % (os.path.basename(path), line))
                bad += 1
                continue
            level, text = int(m.group(1)) & 7, m.group(2)
            compared += 1
            levels = levels_of_shape.get(shape(text))
            if levels is None:
                print("%s: the kernel prints no line like: %s" % (os.path.basename(path), text))
                bad += 1
            elif level not in levels:
                print("%s: level %d, the kernel's is %s: %s" % (os.path.basename(path), level,
                                                                 sorted(levels), text))
                bad += 1
            elif EXACT.match(text) and text not in texts:
                print("%s: the kernel's line differs: %s" % (os.path.basename(path), text))
                bad += 1
    print("dmesg_levels: %d lines of %d captures compared, %d differ" % (compared, len(FIXTURES), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
