#!/usr/bin/env bash
# run_test.sh — real programs on mmsim's kernel (mmsim --exec): the small
# static programs of tests/guest/, built here, each run through mmsim's
# page tables on every CPU backend — the host's CPU through KVM (where
# /dev/kvm can be used) and the emulated one (Unicorn) — with what each
# must print and exit with. Skipped (77) where there is no C compiler.
#
# usage: run_test.sh MMSIM SOURCE_DIR [BACKEND...]   (default: kvm unicorn)
set -uo pipefail
mmsim=$1 src=$2
shift 2
if [ $# -gt 0 ]; then backends=("$@"); else backends=(kvm unicorn); fi
guest=$src/tests/guest
ulib=$src/tools/oracle/guest-user
command -v "${CC:-gcc}" >/dev/null || { echo "skip: no C compiler"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
have32=1
for c in "$guest"/*.c; do
    p=$(basename "$c" .c)
    "${CC:-gcc}" -m64 -static -nostdlib -fno-pie -no-pie -O2 -fno-stack-protector -ffreestanding \
        -fno-asynchronous-unwind-tables -fno-builtin -Wall -Wextra -Werror -I"$ulib" \
        -Wl,-z,noexecstack -o "$work/$p" "$c" || { echo "FAIL: cannot build $p"; exit 1; }
    "${CC:-gcc}" -m32 -static -nostdlib -fno-pie -no-pie -O2 -fno-stack-protector -ffreestanding \
        -fno-asynchronous-unwind-tables -fno-builtin -Wall -Wextra -Werror -I"$ulib" \
        -Wl,-z,noexecstack -o "$work/${p}32" "$c" 2>/dev/null || have32=0
done

# A 128 MiB swap file with the header mkswap writes (version 1, its last page, the signature).
swapfile=$work/swapfile
python3 -c 'import struct, sys
n = 128 * 256
with open(sys.argv[1], "wb") as f:
    f.truncate(n * 4096)
    f.seek(1024); f.write(struct.pack("<II", 1, n - 1))
    f.seek(4096 - 10); f.write(b"SWAPSPACE2")' "$swapfile" || { echo "FAIL: cannot make the swap file"; exit 1; }

# expect NAME STATUS STDOUT-SUBSTRING STDERR-SUBSTRING -- MMSIM-ARGS...
expect() {
    local name="$backend: $1" want_rc=$2 want_out=$3 want_err=$4
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

for backend in "${backends[@]}"; do
    if [ "$backend" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
        echo "skip: kvm: /dev/kvm is not usable here"
        continue
    fi
    echo "== on $backend"
    b=(--cpu-backend "$backend")
    x=(--arch x86_64 --mem 512M "${b[@]}")
    expect hello 7 "hello from a real CPU" "" -- "${x[@]}" --exec "$work/hello"
    expect "hello on one CPU" 7 "hello from a real CPU" "" -- "${x[@]}" --cpus 1 --exec "$work/hello"
    expect "fork and copy-on-write" 0 "cow ok" "" -- "${x[@]}" --exec "$work/cow"
    expect "mprotect flushes the CPU's TLB" 139 "" "" -- "${x[@]}" --exec "$work/tlb"
    expect "user load of a kernel address" 139 "" "" -- "${x[@]}" --exec "$work/kernel_read"
    expect "SIGSEGV handler and rt_sigreturn" 0 "handler ok" "" -- "${x[@]}" --exec "$work/sighandler"
    expect "bad pointers are -EFAULT" 0 "efault ok" "" -- "${x[@]}" --exec "$work/efault"
    expect "a pipe: 256 KiB intact, its bytes in RAM" 0 "pipe ok" "" -- "${x[@]}" --exec "$work/pipe"
    expect "a fork bomb under RLIMIT_NPROC: EAGAIN" 0 "forkbomb ok" "" -- "${x[@]}" --exec "$work/forkbomb"
    expect "an endless loop under --timeout" 137 "" "killed" -- "${x[@]}" --timeout 0.5 --exec "$work/spin"
    expect "--strace lists the calls" 7 "" "write(0x1" -- "${x[@]}" --strace --exec "$work/hello"
    expect "swapon(2), more than RAM out to swap and back, swapoff(2)" 0 "pages checked 57600 bad 0" "" -- \
        --arch x86_64 --mem 256M "${b[@]}" --exec "$work/swapper" "$swapfile" 150
    head -c 200 "$work/hello" > "$work/truncated"
    chmod +x "$work/truncated"
    expect "a truncated ELF" 2 "" "mmsim: --exec" -- "${x[@]}" --exec "$work/truncated"
    expect "no such program" 2 "" "No such file or directory" -- "${x[@]}" --exec "$work/nothing-here"
    expect "an x86_64 program on an i386 machine" 2 "" "Exec format error" -- --arch i386 "${b[@]}" --exec "$work/hello"

    # The same programs built for i386, on an i386 machine: compatibility mode
    # under a long-mode stub, through the backend's shadow of mmsim's 2-level
    # tables (no -m32 compiler: skipped).
    if [ "$have32" = 1 ]; then
        y=(--arch i386 --mem 1G "${b[@]}")
        expect "i386: hello" 7 "hello from a real CPU" "" -- "${y[@]}" --exec "$work/hello32"
        expect "i386: fork and copy-on-write" 0 "cow ok" "" -- "${y[@]}" --exec "$work/cow32"
        expect "i386: mprotect clears the shadow and the TLB" 139 "" "" -- "${y[@]}" --exec "$work/tlb32"
        expect "i386: user load of a kernel address" 139 "" "" -- "${y[@]}" --exec "$work/kernel_read32"
        expect "i386: bad pointers are -EFAULT" 0 "efault ok" "" -- "${y[@]}" --exec "$work/efault32"
        expect "i386: a pipe" 0 "pipe ok" "" -- "${y[@]}" --exec "$work/pipe32"
        expect "i386: a fork bomb under RLIMIT_NPROC" 0 "forkbomb ok" "" -- "${y[@]}" --exec "$work/forkbomb32"
        expect "i386: an endless loop under --timeout" 137 "" "killed" -- "${y[@]}" --timeout 0.5 --exec "$work/spin32"
        expect "i386: SIGSEGV handler and rt_sigreturn" 0 "handler ok" "" -- "${y[@]}" --exec "$work/sighandler32"
        expect "i386: swapon(2), out to swap and back, swapoff(2)" 0 "pages checked 38400 bad 0" "" -- \
            --arch i386 --mem 128M "${b[@]}" --exec "$work/swapper32" "$swapfile" 100
    else
        echo "skip: no -m32 compiler for the i386 programs"
    fi
done
# auto with no usable KVM (/dev/kvm hidden in a mount namespace of its
# own, where that can be made): the emulated CPU runs the program.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$0" --arch x86_64 --mem 512M --exec "$1"' \
        "$mmsim" "$work/hello" >"$work/out" 2>"$work/err"
    rc=$?
    if [ "$rc" = 7 ] && grep -qF "hello from a real CPU" "$work/out"; then
        echo "ok: auto: no KVM: the emulated CPU runs the program"
    else
        echo "FAIL: auto: no KVM: exit status $rc"; sed 's/^/  err: /' "$work/err" | head -5
        fail=1
    fi
fi
exit $fail
