#!/usr/bin/env python3
"""docs_test.py — the documents describe exactly the commands mmsim has.

Every `<!-- commands: ID -->` block in docs/*.md must be what tools/gen-docs
writes from the command tables (so usage and help come from one place);
docs/scenario.md must have a block for every command set, so that every
command is documented; and no other table row in docs/scenario.md may start
with a command the tables do not define. The README's examples (`$ build/mmsim
...` lines in its sh blocks) print what the README shows after them. And
docs/fidelity.md's agreement table is what tools/oracle/compare measures now
(its rows for ../shared/reference are checked when that directory exists), and
every `<!-- example: ARGS -->` block in docs/ holds what `mmsim ARGS` prints.

usage: docs_test.py PATH/TO/mmsim
"""
import glob
import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_gen_docs():
    path = os.path.join(REPO, "tools", "gen-docs")
    loader = importlib.machinery.SourceFileLoader("gen_docs", path)
    spec = importlib.util.spec_from_loader("gen_docs", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def busybox_x86_64():
    """Debian's busybox-static for x86_64 from the oracle cache, if fetched (else None)."""
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                         "mmsim-oracle")
    hits = sorted(glob.glob(os.path.join(cache, "extract", "busybox-static_*_amd64", "bin",
                                         "busybox")))
    return hits[-1] if hits else None


def readme_examples(mmsim):
    """Each `$ build/mmsim ...` line of the README, run, against the lines after it.

    An example with $BUSYBOX runs a real program (--exec): it runs when
    /dev/kvm is usable and the oracle cache has Debian's busybox-static.
    """
    bad = 0
    busybox = busybox_x86_64()
    can_exec = busybox and os.access("/dev/kvm", os.R_OK | os.W_OK)
    readme = open(os.path.join(REPO, "README.md")).read()
    for block in re.findall(r"^```sh\n(.*?)^```$", readme, re.S | re.M):
        examples = re.split(r"^\$ ", block, flags=re.M)[1:]
        for ex in examples:
            command, _, shown = ex.partition("\n")
            if not command.startswith("build/mmsim"):
                continue
            env = dict(os.environ)
            if "$BUSYBOX" in command:
                if not can_exec:
                    print("README.md: '$ %s' not run (needs /dev/kvm and busybox-static in the "
                          "oracle cache)" % command)
                    continue
                env["BUSYBOX"] = busybox
            p = subprocess.run(command.replace("build/mmsim", mmsim, 1), shell=True,
                               capture_output=True, text=True, env=env)
            if p.stdout.rstrip("\n") != shown.rstrip("\n"):
                print("README.md: '$ %s' prints something else:\n%s" % (command, p.stdout + p.stderr))
                bad += 1
    return bad


def agreement_table(gen, mmsim):
    """docs/fidelity.md's agreement block against compare --markdown, row by row."""
    path = os.path.join(REPO, "docs", "fidelity.md")
    m = gen.AGREEMENT.search(open(path).read())
    if not m:
        print("docs/fidelity.md: no <!-- agreement --> block")
        return 1
    shown = [l for l in m.group(2).splitlines() if l.startswith("|")]
    measured = gen.agreement_rows(mmsim)
    if measured is None:
        print("docs/fidelity.md: tools/oracle/compare printed no agreement table")
        return 1
    have_reference = os.path.isdir(os.path.join(REPO, "..", "shared", "reference"))
    if not have_reference:
        shown = [l for l in shown if not l.startswith("| reference ")]
    if shown == measured:
        return 0
    print("docs/fidelity.md: the agreement table differs from what tools/oracle/compare "
          "measures (run tools/gen-docs):")
    for line in measured:
        if line not in shown:
            print("  measured: " + line)
    for line in shown:
        if line not in measured:
            print("  shown:    " + line)
    return 1


def main():
    mmsim = sys.argv[1]
    gen = load_gen_docs()
    tables = gen.generated(mmsim)
    names = set(subprocess.run([mmsim, "--list-commands"], check=True, capture_output=True,
                               text=True).stdout.split())
    bad = 0
    for path in sorted(glob.glob(os.path.join(REPO, "docs", "*.md"))):
        text = open(path).read()
        if gen.regenerate(text, tables) != text:
            print("%s: a command table differs from the command tables (run tools/gen-docs)"
                  % os.path.relpath(path, REPO))
            bad += 1
        for m in gen.EXAMPLE.finditer(text):
            if gen.example_output(mmsim, m.group(2)) != m.group(3):
                print("%s: the example 'mmsim %s' prints something else now (run tools/gen-docs)"
                      % (os.path.relpath(path, REPO), m.group(2)))
                bad += 1
    scenario = open(os.path.join(REPO, "docs", "scenario.md")).read()
    present = set(gen.BLOCK.findall(scenario))
    for ident in sorted(set(tables) - present):
        print("docs/scenario.md: no table for the command set '%s'" % ident)
        bad += 1
    outside = gen.BLOCK.sub("", scenario)
    for m in re.finditer(r"^\| `([a-z_0-9]+)", outside, re.M):
        if m.group(1) not in names:
            print("docs/scenario.md: '%s' is not a command" % m.group(1))
            bad += 1
    documented = set(re.findall(r"^\| `([a-z_0-9]+)", "".join(tables[i] for i in present), re.M))
    for name in sorted(names - documented):
        print("docs/scenario.md: the command '%s' is not documented" % name)
        bad += 1
    bad += readme_examples(mmsim)
    bad += agreement_table(gen, mmsim)
    print("docs_test: %d commands, %d problems" % (len(names), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
