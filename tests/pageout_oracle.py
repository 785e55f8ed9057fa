#!/usr/bin/env python3
"""pageout_oracle.py — madvise(MADV_PAGEOUT) against the real kernel's
(tests/fixtures/oracle/pageout/, captured by tools/oracle/guest-pageout.sh).

The same program (tools/oracle/guest-user/pageoutprobe.c: 16 MiB of
anonymous memory written, half paged out, read back, paged out while a
forked child shares it and after, an mlocked range, the error cases, a
final read) runs on mmsim's kernel, i386 and x86_64 with 512 MiB, without
swap and with 512 MiB of swap — and, on x86_64 with 1 GiB, its THP steps
(`pageoutprobe 16 thp`: two whole huge pages paged out, part of one, one
made cold whole and part of one) — and each step must agree with the real one:

  * every line the program prints about a step — each madvise's return
    value and errno, the pattern checks — exactly (pids renumbered);
  * per report, the deltas of the counters MADV_PAGEOUT decides: pswpout,
    pswpin, pgsteal_anon, pgscan_anon, pgrefill and the THP counters that
    changed (thp_split_page, thp_split_pmd, thp_deferred_split_page,
    thp_swpout, thp_swpout_fallback) exactly; pgactivate and
    pgmajfault within 8 (the real guest's own shell and readahead timing);
  * the Rss, Anonymous, Swap and Locked of the probe's VMAs exactly, and of
    the whole process (smaps_rollup) within 8 kB: on i386 the rest of the
    process (stack, .bss) is sometimes a page apart between the two, in
    either direction, at steps MADV_PAGEOUT does not touch (noticed, not
    yet explained).

Shown, not judged: what depends on when the real disk completed its writes
(pgrotated, SwapCached in between, pgfree) and the nr_* gauges the rest of
the real guest moves.

usage: pageout_oracle.py MMSIM SOURCE_DIR   (exit 77: no compiler for the guest)
"""
import os
import re
import subprocess
import sys
import tempfile

from guest_programs import ARCHES, build_or_skip

EXACT = ("pswpout", "pswpin", "pgsteal_anon", "pgscan_anon", "pgrefill", "thp_split_page",
         "thp_split_pmd", "thp_deferred_split_page", "thp_swpout", "thp_swpout_fallback")
NEAR = ("pgactivate", "pgmajfault")
NEAR_BY = 8
ROLLUP_NEAR_KB = 8


def probe_part(text):
    """The program's output: from ===PROBE (or the first step) to its last report."""
    start = text.find("===PROBE")
    text = text[start:] if start >= 0 else text
    end = text.find("===SWAPS_END")
    return text[:end] if end >= 0 else text


def step_lines(text):
    """The lines the program prints about its steps, pids renumbered."""
    out, pids = [], {}
    for line in probe_part(text).splitlines():
        if not (line.startswith("step") or line.startswith("pageoutprobe ") or
                re.match(r"^t\d ", line)):
            continue
        if line.startswith("pageoutprobe exit"):
            continue	# the capture script's echo
        for mt in re.finditer(r"(child|wait4 =) (\d+)", line):
            pids.setdefault(mt.group(2), "P%d" % (len(pids) + 1))
        line = re.sub(r"(child|wait4 =) (\d+)", lambda mt: mt.group(1) + " " + pids[mt.group(2)],
                      line)
        out.append(line)
    return out


def reports(text):
    """{report: (counter deltas, smaps_rollup kB, [the probe's VMA lines])} per ===STEP."""
    out = {}
    for sec in re.split(r"\n(?====(?:STEP|T\d))", probe_part(text))[1:]:
        name = sec.split("\n", 1)[0][3:]
        deltas = {mt.group(1): int(mt.group(2)) for mt in
                  re.finditer(r"^vmstat (\S+) -?\d+ \(([+-]\d+)\)$", sec, re.M)}
        # the THP counters the probe does not watch, where they changed
        deltas.update({mt.group(1): int(mt.group(2)) for mt in
                       re.finditer(r"^vmstat-other (thp_\S+) ([+-]\d+)$", sec, re.M)})
        rollup = {mt.group(1): int(mt.group(2)) for mt in
                  re.finditer(r"^rollup (Rss|Anonymous|Swap|Locked): (\d+) kB$", sec, re.M)}
        vmas = [re.sub(r" SwapPss=\d+", "", v) for v in re.findall(r"^vma .*$", sec, re.M)]
        out[name] = (deltas, rollup, vmas)
    return out


def judge(what, real, sim):
    """The failures, as lines."""
    bad = []
    rl, sl = step_lines(real), step_lines(sim)
    if rl != sl:
        for i in range(max(len(rl), len(sl))):
            a = rl[i] if i < len(rl) else "<none>"
            b = sl[i] if i < len(sl) else "<none>"
            if a != b:
                bad.append("%s: step line %d: real %r, mmsim %r" % (what, i + 1, a, b))
                break
    rr, sr = reports(real), reports(sim)
    if not rr:
        bad.append("%s: no reports in the capture" % what)
    for name, (rd, rroll, rvmas) in rr.items():
        if name not in sr:
            bad.append("%s: mmsim printed no %s" % (what, name))
            continue
        sd, sroll, svmas = sr[name]
        for key in EXACT + NEAR:
            if key not in rd:
                continue	# the first report, or one without counters: nothing to judge
            if key not in sd:
                bad.append("%s %s: %s missing" % (what, name, key))
            elif (rd[key] != sd[key]) if key in EXACT else abs(rd[key] - sd[key]) > NEAR_BY:
                bad.append("%s %s: %s %+d in the real kernel, %+d in mmsim"
                           % (what, name, key, rd[key], sd[key]))
        if rvmas != svmas:
            bad.append("%s %s: the probe's VMAs differ:\n    real  %s\n    mmsim %s"
                       % (what, name, " | ".join(rvmas), " | ".join(svmas)))
        for key, kb in rroll.items():
            if key not in sroll or abs(sroll[key] - kb) > ROLLUP_NEAR_KB:
                bad.append("%s %s: smaps_rollup %s %d kB in the real kernel, %s in mmsim"
                           % (what, name, key, kb, sroll.get(key)))
    return bad


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    mmsim, src = sys.argv[1], sys.argv[2]
    failed = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for arch, flag in ARCHES:
            prog = build_or_skip(src, "pageoutprobe", arch, flag, tmp)
            # (swap, RAM, the probe's arguments): THP needs 512 MiB of RAM or more.
            cases = [(False, "512M", "16"), (True, "512M", "16")]
            if arch == "x86_64":
                cases.append((True, "1024M", "16 thp"))
            for swap, mem, args in cases:
                thp = args.endswith("thp")
                what = "%s %s %s%s" % (arch, mem, "swap" if swap else "no swap", " thp" if thp else "")
                fixture = os.path.join(src, "tests/fixtures/oracle/pageout/%s-%s-%s%s.txt"
                                       % (arch, mem, "swap" if swap else "noswap",
                                          "-thp" if thp else ""))
                with open(fixture, errors="replace") as f:
                    real = f.read()
                scenario = "install %s /user/pageoutprobe\n%sspawn p /user/pageoutprobe %s\n" \
                           "execute p\n" % (prog, "swapon 512M\n" if swap else "", args)
                # i386 on the emulated CPU: this host's KVM runs it in compatibility mode
                # through shadow tables, minutes for this many PTE changes (same output).
                backend = ["--cpu-backend", "unicorn"] if arch == "i386" else []
                r = subprocess.run([mmsim, "--arch", arch, "--mem", mem, "--cmdline",
                                    "norandmaps"] + backend + ["-"], input=scenario,
                                   capture_output=True, text=True, timeout=600)
                if r.returncode:
                    print("FAIL: %s: mmsim exited %d: %s" % (what, r.returncode, r.stderr.strip()))
                    failed += 1
                    continue
                bad = judge(what, real, r.stdout)
                checked += 1
                if bad:
                    failed += 1
                    print("FAIL: " + "\nFAIL: ".join(bad))
                else:
                    print("ok: %s: %d steps and %d reports agree with the real kernel"
                          % (what, len(step_lines(real)), len(reports(real))))
    print("%d passed, %d failed" % (checked - min(failed, checked), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
