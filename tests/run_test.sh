#!/usr/bin/env bash
# run_test.sh — real programs on mmsim's kernel (mmsim --exec): the small
# static programs of tests/guest/, built here, each run on the host's CPU
# through mmsim's page tables, with what each must print and exit with.
# Skipped (77) where /dev/kvm cannot be used or there is no C compiler.
#
# usage: run_test.sh MMSIM SOURCE_DIR
set -uo pipefail
mmsim=$1 src=$2
guest=$src/tests/guest
ulib=$src/tools/oracle/guest-user
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "skip: /dev/kvm is not usable here"; exit 77; }
command -v "${CC:-gcc}" >/dev/null || { echo "skip: no C compiler"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
for c in "$guest"/*.c; do
    p=$(basename "$c" .c)
    "${CC:-gcc}" -m64 -static -nostdlib -fno-pie -no-pie -O2 -fno-stack-protector -ffreestanding \
        -fno-asynchronous-unwind-tables -fno-builtin -Wall -Wextra -Werror -I"$ulib" \
        -Wl,-z,noexecstack -o "$work/$p" "$c" || { echo "FAIL: cannot build $p"; exit 1; }
done

# expect NAME STATUS STDOUT-SUBSTRING STDERR-SUBSTRING -- MMSIM-ARGS...
expect() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4
    shift 5
    "$mmsim" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL: $name: exit status $rc, expected $want_rc"; sed 's/^/  err: /' "$work/err" | head -5
        fail=1; return
    fi
    if [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$work/out"; then
        echo "FAIL: $name: stdout lacks '$want_out'"; sed 's/^/  out: /' "$work/out" | head -5
        fail=1; return
    fi
    if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$work/err"; then
        echo "FAIL: $name: stderr lacks '$want_err'"; sed 's/^/  err: /' "$work/err" | head -5
        fail=1; return
    fi
    echo "ok: $name"
}

x=(--arch x86_64 --mem 512M)
expect hello 7 "hello from a real CPU" "" -- "${x[@]}" --exec "$work/hello"
expect "hello on one CPU" 7 "hello from a real CPU" "" -- "${x[@]}" --cpus 1 --exec "$work/hello"
expect "fork and copy-on-write" 0 "cow ok" "" -- "${x[@]}" --exec "$work/cow"
expect "mprotect flushes the CPU's TLB" 139 "" "" -- "${x[@]}" --exec "$work/tlb"
expect "user load of a kernel address" 139 "" "" -- "${x[@]}" --exec "$work/kernel_read"
expect "SIGSEGV handler and rt_sigreturn" 0 "handler ok" "" -- "${x[@]}" --exec "$work/sighandler"
expect "bad pointers are -EFAULT" 0 "efault ok" "" -- "${x[@]}" --exec "$work/efault"
expect "a fork bomb under RLIMIT_NPROC: EAGAIN" 0 "forkbomb ok" "" -- "${x[@]}" --exec "$work/forkbomb"
expect "an endless loop under --timeout" 137 "" "killed" -- "${x[@]}" --timeout 0.5 --exec "$work/spin"
expect "--strace lists the calls" 7 "" "write(0x1" -- "${x[@]}" --strace --exec "$work/hello"
head -c 200 "$work/hello" > "$work/truncated"
chmod +x "$work/truncated"
expect "a truncated ELF" 2 "" "mmsim: --exec" -- "${x[@]}" --exec "$work/truncated"
expect "no such program" 2 "" "No such file or directory" -- "${x[@]}" --exec "$work/nothing-here"
expect "an x86_64 program on an i386 machine" 2 "" "Exec format error" -- --arch i386 --exec "$work/hello"
# An i386 program on an i386 machine: the backend says why it cannot run it yet.
if "${CC:-gcc}" -m32 -static -nostdlib -fno-pie -no-pie -O2 -fno-stack-protector -ffreestanding \
       -fno-asynchronous-unwind-tables -fno-builtin -I"$ulib" -o "$work/hello32" "$guest/hello.c" 2>/dev/null; then
    expect "an i386 program: not yet" 2 "" "x86_64 programs only" -- --arch i386 --exec "$work/hello32"
fi
exit $fail
