#!/usr/bin/env python3
"""json_test.py — `mmsim --json`: every /proc and /sys file of a busy machine
(processes with anonymous and swapped memory, vmalloc areas, swap), on i386
and x86_64, is read as a document that validates against
docs/json/proc.schema.json and says what the text says: the same numbers,
none dropped and none made up. Also: the schema is a valid schema and
rejects a document with a field taken out; other commands' output comes
wrapped as {"command", "output"}; a pipe still reads text.

Usage: json_test.py MMSIM"""
import collections
import json
import os
import re
import subprocess
import sys
import warnings

import jsonschema

# Debian 12's jsonschema 4.10 resolves $ref with RefResolver; newer ones warn about it.
warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "..", "docs", "json")
MMSIM = sys.argv[1]
failures = []

SETUP = """spawn p
mmap p 0x10000000 8M rw- private,anonymous
madvise p 0x10000000 8M MADV_NOHUGEPAGE
touch p 0x10000000 4M write
swapon 16M
madvise p 0x10000000 1M MADV_PAGEOUT
fork p q
vmalloc v 64K
kmalloc k 300 GFP_KERNEL
"""


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def mmsim(args, script):
    return subprocess.run([MMSIM] + args + ["-e", script], capture_output=True, text=True,
                          timeout=120)


def schema_validator():
    """docs/json's schemas, the report's reachable from proc.schema.json by its $id."""
    schemas = {}
    for name in os.listdir(SCHEMA_DIR):
        if name.endswith(".schema.json"):
            with open(os.path.join(SCHEMA_DIR, name)) as f:
                s = json.load(f)
            jsonschema.Draft202012Validator.check_schema(s)
            schemas[name] = s
    root = schemas["proc.schema.json"]
    try:    # jsonschema 4.18 and later: the referencing library
        import referencing
        registry = referencing.Registry().with_resources(
            (s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values())
        return jsonschema.Draft202012Validator(root, registry=registry)
    except ImportError:     # Debian 12's 4.10
        store = {s["$id"]: s for s in schemas.values()}
        resolver = jsonschema.RefResolver(base_uri=root["$id"], referrer=root, store=store)
        return jsonschema.Draft202012Validator(root, resolver=resolver)


def files_under(args, path):
    """Every file below @path, found with ls the way a user would."""
    r = mmsim(args, SETUP + "ls " + path)
    if r.returncode:
        return [path]
    found = []
    for name in r.stdout.split():
        found += files_under(args, path.rstrip("/") + "/" + name)
    return found


TOKEN_SEPS = re.compile(r"[\s,():=\[\]]+")
INT = re.compile(r"^-?(0|[1-9][0-9]*)$")


def text_ints(text):
    return collections.Counter(int(t) for t in TOKEN_SEPS.split(text) if INT.match(t))


def json_ints(v, out):
    if isinstance(v, bool):
        return
    if isinstance(v, int):
        out[v] += 1
    elif isinstance(v, str) and re.match(r"^[1-9][0-9]{18,19}$", v):
        out[int(v)] += 1    # past 64-bit signed: kept as its digits
    elif isinstance(v, dict):
        for x in v.values():
            json_ints(x, out)
    elif isinstance(v, list):
        for x in v:
            json_ints(x, out)


def same_numbers(doc, text):
    """The integers of the text are the integers of the document, with their counts."""
    fmt, data = doc["format"], doc["data"]
    if fmt in ("strings", "auxv", "cmdline") or (fmt == "value" and isinstance(data["value"], str)):
        return True
    want = text_ints(text)
    if fmt == "pagetypeinfo":
        # the free table's header names the orders: not values
        want.subtract(range(len(data["free_lists"][0]["free"])) if data["free_lists"] else [])
    got = collections.Counter()
    json_ints(data, got)
    if fmt == "zoneinfo":
        for n in data["nodes"]:
            got[n["node"]] -= 1   # a node's number is printed once, in its first zone's header
    want = +want
    got = +got
    if want != got:
        print("  text has", dict(want - got), "the document", dict(got - want))
    return want == got


def check_arch(arch, validator):
    args = ["--arch", arch, "--mem", "1G", "--cpus", "2"]
    paths = files_under(args, "/proc") + files_under(args, "/sys")
    # /proc/self is the reader: mmsim itself, whose pid is 1; the others are p's and q's.
    check(any(re.match(r"^/proc/\d+/smaps$", p) for p in paths), arch + ": a process's files found")
    docs = 0
    for path in paths:
        if path.endswith("/compact_memory") or path.endswith("/drop_caches"):
            continue    # write-only
        text = mmsim(args, SETUP + "cat " + path)
        js = mmsim(["--json"] + args, SETUP + "cat " + path)
        if text.returncode or js.returncode:
            check(text.returncode == js.returncode, "%s %s: cat fails alike (%s / %s)"
                  % (arch, path, text.stderr.strip(), js.stderr.strip()))
            continue
        lines = js.stdout.splitlines()
        # SETUP's own commands print nothing; cat prints one document.
        check(len(lines) == 1, "%s %s: one document, not %d lines" % (arch, path, len(lines)))
        doc = json.loads(lines[-1])
        errors = list(validator.iter_errors(doc))
        check(not errors, "%s %s: valid (%s)" % (arch, path, errors[0].message if errors else ""))
        check(doc.get("path") == path, "%s %s: names its path" % (arch, path))
        check(same_numbers(doc, text.stdout), "%s %s (%s): the numbers of the text"
              % (arch, path, doc.get("format")))
        docs += 1
        if path == "/proc/meminfo":
            free_kb = int(re.search(r"^MemFree:\s+(\d+) kB", text.stdout, re.M).group(1))
            check(doc["data"]["fields"]["MemFree"] == free_kb and
                  doc["data"]["units"]["MemFree"] == "kB", arch + ": MemFree in kB")
        if path == "/proc/zoneinfo":
            name = "Normal" if arch == "i386" else "DMA32"   # the big zone of 1G
            z = [z for z in doc["data"]["zones"] if z["zone"] == name][0]
            m = re.search(r"zone\s+" + name + r"\n(?:.*\n)*?\s+pages free\s+(\d+)\n\s+boost\s+\d+\n"
                          r"\s+min\s+(\d+)", text.stdout)
            check((z["pages"]["free"], z["pages"]["min"]) == (int(m.group(1)), int(m.group(2))),
                  arch + ": " + name + "'s free pages and min")
            check(len(z["pagesets"]) == 2, arch + ": a pageset per CPU")
        if re.match(r"^/proc/\d+/maps$", path):
            check(len(doc["data"]["vmas"]) == len(text.stdout.splitlines()), arch + ": a VMA a line")
        if path == "/proc/swaps":
            check(doc["data"]["swaps"][0]["used_kB"] > 0, arch + ": the paged-out memory is in swap")
    check(docs > 40, "%s: %d documents" % (arch, docs))
    print("%s: %d files as JSON" % (arch, docs))


def main():
    validator = schema_validator()
    # The schema can fail: a zone without its free pages, a VMA with bad permissions.
    r = mmsim(["--json"], "cat /proc/buddyinfo /proc/self/maps")
    docs = [json.loads(l) for l in r.stdout.splitlines()]
    check(len(docs) == 2 and all(validator.is_valid(d) for d in docs), "two documents, valid")
    del docs[0]["data"]["zones"][0]["free"]
    check(not validator.is_valid(docs[0]), "a buddyinfo zone without 'free' is rejected")
    if docs[1]["data"]["vmas"]:
        docs[1]["data"]["vmas"][0]["perms"] = "rwz"
        check(not validator.is_valid(docs[1]), "permissions 'rwz' are rejected")

    # Other commands: their text, wrapped; a pipe reads text and its output is wrapped.
    r = mmsim(["--json"], "free -k\ncat /proc/meminfo | head -1\nalloc_pages a GFP_KERNEL 0")
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and len(lines) == 2, "free and the pipe: two documents")
    free, head = (json.loads(l) for l in lines)
    check(free["command"] == "free -k" and free["output"].startswith(" ") and
          "Mem:" in free["output"] and validator.is_valid(free), "free's text, wrapped")
    check(head["output"].startswith("MemTotal:") and head["output"].endswith("kB\n"),
          "a pipe reads the text")
    # Bytes that are not UTF-8, in the command and its output: U+FFFD, and nothing lost.
    r = subprocess.run([MMSIM, "--json", "-"], input=b"echo a\xffb\n", capture_output=True,
                       timeout=60)
    wrapped = json.loads(r.stdout) if r.stdout.strip() else {}
    check(wrapped.get("command") == "echo a\ufffdb" and wrapped.get("output") == "a\ufffdb\n",
          "a non-UTF-8 command is wrapped with U+FFFD (%r)" % r.stdout)
    # An error stays an error: the message on stderr, status 2, no document for it.
    r = mmsim(["--json"], "cat /proc/nonesuch")
    check(r.returncode == 2 and not r.stdout and "No such file" in r.stderr, "a missing file")

    for arch in ("i386", "x86_64"):
        check_arch(arch, validator)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("ok")


main()
