"""guest_programs.py — building the guest programs of tools/oracle/guest-user
for the oracle tests, as their fixtures' READMEs build them for the real
kernel: static, no libc, for each architecture the captures cover."""
import os
import subprocess
import sys

ARCHES = (("i386", "-m32"), ("x86_64", "-m64"))
CFLAGS = ["-static", "-nostdlib", "-fno-pie", "-no-pie", "-O2", "-fno-stack-protector",
          "-ffreestanding", "-fno-asynchronous-unwind-tables", "-fno-builtin",
          "-fno-tree-loop-distribute-patterns", "-fno-ident", "-Wl,-z,noexecstack",
          "-Wl,--build-id=none"]


def build(src, name, flag, out):
    """Compile tools/oracle/guest-user/NAME.c of the tree @src with gcc @flag
    (-m32 or -m64) into @out; gcc's result (returncode, stderr)."""
    guest = os.path.join(src, "tools/oracle/guest-user")
    return subprocess.run(["gcc", flag] + CFLAGS + ["-I", guest, "-o", out,
                                                    os.path.join(guest, name + ".c")],
                          capture_output=True, text=True)


def build_or_skip(src, name, arch, flag, tmp):
    """build() into @tmp/NAME.ARCH and return its path; when gcc cannot build
    it (no multilib), say why and exit 77, ctest's "skipped"."""
    prog = os.path.join(tmp, "%s.%s" % (name, arch))
    cc = build(src, name, flag, prog)
    if cc.returncode:
        print("skip: gcc %s cannot build the guest program %s:\n%s" % (flag, name, cc.stderr))
        sys.exit(77)
    return prog
