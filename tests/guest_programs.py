"""guest_programs.py — building the guest programs of tools/oracle/guest-user
for the oracle tests, as their fixtures' READMEs build them for the real
kernel: static, no libc, for each architecture the captures cover."""
import os
import subprocess

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
