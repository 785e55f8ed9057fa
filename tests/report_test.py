#!/usr/bin/env python3
"""report_test.py — the visual report in a real browser (Debian's headless
Chromium, and Firefox ESR where it is installed). For each example of examples/ (i386) and an x86_64 machine of
4 GiB: mmsim --report writes the HTML; `report --json -` at the same moment
gives its document, which must validate against docs/json/report.schema.json.
Chromium loads the HTML offline with #selftest=PFN: the page counts the
frames its map draws in each colour and hovers over one frame. Checked:
no script errors; every panel is there; the frames drawn as each owner are
exactly the frames the document's runs give that owner, and those drawn
free are exactly MemFree; the hover card names the frame, its owner and
the process that maps it (or its pkmap slot). Screenshots go to
ARTIFACTS_DIR (default: report-artifacts/ here), with a sizes.txt of each
file's size and the page's load time.

Usage: report_test.py MMSIM [ARTIFACTS_DIR]"""
import json
import os
import re
import subprocess
import sys
import time
import warnings

import jsonschema

from browser import Browser, chromium, firefox, firefox_selftest

warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
MMSIM = sys.argv[1]
ARTIFACTS = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "report-artifacts")
failures = []

X86_64_4G = """spawn a
mmap a 0x10000000 1G rw- private,anonymous as m
madvise a m 64M MADV_NOHUGEPAGE
touch a m 512M write
fork a b
touch b m 64M write
spawn c
mmap c 0x20000000 256M rw- private,anonymous as n
madvise c n 256M MADV_NOHUGEPAGE
touch c n 256M write
fragment c n 256M
vmalloc v 4M
repeat 200 kmalloc k$i 1000
swapon 64M
madvise a m 32M MADV_PAGEOUT
touch a m 16M read
"""


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def report_schema():
    with open(os.path.join(ROOT, "docs", "json", "report.schema.json")) as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def owner_frames(doc):
    """Frames by owner name, from the document's runs; free ones by their owner 'free'."""
    frames = doc["snapshot"]["frames"]
    runs, details, owners = frames["runs"], frames["details"], frames["owners"]
    count = {}
    for i in range(0, len(runs), 5):
        d = details[runs[i + 2]]
        name = owners[d["owner"]]
        if name == "anonymous" and d.get("swapcache"):
            name = "anonymous (swap cache)"     # its own colour
        count[name] = count.get(name, 0) + runs[i + 1]
    return count


def pick_frame(doc):
    """A frame to hover over: a kmapped one, else one a process maps, else the first free one."""
    frames = doc["snapshot"]["frames"]
    runs, details = frames["runs"], frames["details"]
    best = None
    for i in range(0, len(runs), 5):
        d = details[runs[i + 2]]
        if "kmap_slot" in d:
            return runs[i], d, runs[i + 3], runs[i + 4]
        if runs[i + 3] and (best is None or "kmap_slot" in best[1]):
            best = (runs[i] + runs[i + 1] // 2, d, runs[i + 3],
                    runs[i + 4] + (runs[i + 1] // 2) * 4096)
    if best:
        return best
    for i in range(0, len(runs), 5):
        if frames["owners"][details[runs[i + 2]]["owner"]] == "free":
            return runs[i], details[runs[i + 2]], 0, 0
    return 0, details[runs[2]], 0, 0


def check_report(name, args, script, validator, sizes):
    html_path = os.path.join(ARTIFACTS, name + ".html")
    # The document of the same moment: `report --json` as the scenario's last command.
    json_path = os.path.join(ARTIFACTS, name + ".json")
    r = subprocess.run([MMSIM] + args + ["--report", html_path, "-"],
                       input=script + "\nreport --json %s\n" % json_path,
                       capture_output=True, text=True, timeout=300)
    if not check(r.returncode == 0, "%s: report --json exits 0 (%s)" % (name, r.stderr.strip()[-300:])):
        return
    with open(json_path) as f:
        doc = json.load(f)
    errors = list(validator.iter_errors(doc))
    check(not errors, "%s: the document is valid (%s)" % (name, errors[0].message[:200] if errors else ""))
    size = os.path.getsize(html_path)

    pfn, detail, pid, vaddr = pick_frame(doc)
    session, started = BROWSER.open("file://%s#selftest=%d" % (html_path, pfn))
    found = None
    while time.time() - started < 120 and not found:
        time.sleep(0.1)
        found = BROWSER.evaluate(session, "(document.getElementById('selftest') || {}).textContent")
    load_s = time.time() - started
    if not check(found, "%s: the page ran its self-test" % name):
        return
    st = json.loads(found)
    check(st["errors"] == [], "%s: no script errors (%s)" % (name, st["errors"]))
    console = BROWSER.console_errors()
    check(not console, "%s: no console errors (%s)" % (name, console[:3]))
    check(st.get("panels") == ["physical", "layout", "processes", "series", "proc"],
          "%s: every panel (%s)" % (name, st.get("panels")))

    # What the map draws is what the document says, owner by owner, and free is MemFree.
    drawn = {k: v for k, v in st["frames"].items() if k != "none"}
    want = owner_frames(doc)
    check(drawn == want, "%s: frames drawn by owner %s == the runs' %s" % (name, drawn, want))
    meminfo = doc["snapshot"]["proc"]["/proc/meminfo"]
    mem_free_kb = int(re.search(r"^MemFree:\s+(\d+) kB", meminfo, re.M).group(1))
    check(drawn.get("free", 0) * 4 == mem_free_kb, "%s: %d frames drawn free, MemFree %d kB"
          % (name, drawn.get("free", 0), mem_free_kb))
    cma = re.search(r"^CmaTotal:\s+(\d+) kB", meminfo, re.M)
    if cma and int(cma.group(1)):
        outlined = BROWSER.evaluate(session, "Array.from(document.querySelectorAll('#physmap rect.cma'))"
                                    ".reduce((n, r) => n + r.width.baseVal.value * r.height.baseVal.value, 0)")
        check(outlined * 4 == int(cma.group(1)), "%s: the CMA outline covers CmaTotal (%s frames, %s kB)"
              % (name, outlined, cma.group(1)))

    # The hover card: the frame, its owner, who maps it.
    card = st.get("card") or ""
    owners = doc["snapshot"]["frames"]["owners"]
    check(card.startswith("pfn %d " % pfn), "%s: the card is of pfn %d (%r)" % (name, pfn, card[:60]))
    check("owner: " + owners[detail["owner"]] in card, "%s: the card names the owner" % name)
    if "kmap_slot" in detail:
        check("kmapped: pkmap slot %d" % detail["kmap_slot"] in card, "%s: the card's pkmap slot" % name)
    elif pid:
        check("mapped by: pid %d" % pid in card and hex(vaddr) in card,
              "%s: the card says pid %d maps it at %s (%r)" % (name, pid, hex(vaddr), card))

    # Every region of the kernel's layout table is drawn, each with its own name.
    drawn_regions = BROWSER.evaluate(session, "Array.from(document.querySelectorAll('#layout rect.region "
                                     "title')).map(t => t.textContent.split(':')[0])")
    missing = [r["name"] for r in doc["snapshot"]["layout"] if r["name"] not in (drawn_regions or [])]
    check(not missing, "%s: the layout panel draws every region (missing %s)" % (name, missing))

    # Firefox too, where it is installed: the same self-test, the same counts.
    if firefox():
        ff = firefox_selftest("file://%s#selftest=%d" % (html_path, pfn),
                              os.path.join(ARTIFACTS, "firefox-profile"))
        if check(ff, "%s: Firefox ran the self-test" % name):
            ff = json.loads(ff)
            check(ff["errors"] == [] and ff["frames"] == st["frames"] and ff["card"] == st["card"]
                  and ff["panels"] == st["panels"],
                  "%s: Firefox draws what Chromium draws (%s)" % (name, ff["errors"]))

    shot = os.path.join(ARTIFACTS, name + ".png")
    BROWSER.evaluate(session, "document.getElementById('zoom-reset').click(); "
                     "document.getElementById('card').style.display = 'none'")
    BROWSER.screenshot(session, shot)
    check(os.path.getsize(shot) > 10000, "%s: a screenshot" % name)
    sizes.append("%-16s %9d bytes %7d frame runs %6d events  self-test done %.2f s after "
                 "navigating (script %s ms)" % (name, size, len(doc["snapshot"]["frames"]["runs"]) // 5,
                                                len(doc["events"]), load_s, st.get("load_ms", "?")))
    print("%s: %d bytes, card %r" % (name, size, card.splitlines()[1] if card else None))
    return size, st


def main():
    if not chromium():
        print("skip: no chromium (tools/install-deps --test installs it)")
        sys.exit(77)
    os.makedirs(ARTIFACTS, exist_ok=True)
    global BROWSER
    BROWSER = Browser(os.path.join(ARTIFACTS, "chromium-profile"))
    validator = report_schema()
    sizes = []
    for example in ("highmem-kmap", "fragmentation", "fork-cow", "oom-kill"):
        with open(os.path.join(ROOT, "examples", example + ".mmsim")) as f:
            check_report(example, [], f.read(), validator, sizes)
    result = check_report("x86_64-4G", ["--arch", "x86_64", "--mem", "4G", "--config", "CMA=y",
                                        "--cmdline", "cma=64M"], X86_64_4G, validator, sizes)
    if result:
        check(result[0] < 5 << 20, "x86_64-4G: the report is under 5 MiB (%d bytes)" % result[0])
    BROWSER.close()
    with open(os.path.join(ARTIFACTS, "sizes.txt"), "w") as f:
        f.write("\n".join(sizes) + "\n")
    print("\n".join(sizes))
    print("screenshots in", ARTIFACTS)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("ok")


main()
