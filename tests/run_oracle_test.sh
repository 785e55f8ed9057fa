#!/usr/bin/env bash
# run_oracle_test.sh — the real busybox on mmsim's kernel against the real
# kernel: every x86_64 capture in tests/fixtures/oracle/ has, in SELFMAPS,
# what Debian's 6.1 printed for `busybox cat /proc/self/maps` (norandmaps).
# The same busybox, installed at the same path, runs here through mmsim's
# page tables (the `execute` command) on a machine of the capture's size,
# on each CPU backend (the host's CPU through KVM where /dev/kvm can be
# used, and the emulated one), and must print the same lines: addresses,
# permissions, offsets, device and name. Only the inode number is not
# judged (the initramfs numbers its directories too).
#
# usage: run_oracle_test.sh MMSIM SOURCE_DIR [BACKEND...]  (default: kvm unicorn)
# Skipped (77) when Debian's busybox-static cannot be fetched into the
# oracle cache.
set -uo pipefail
mmsim=$1 src=$2
shift 2
if [ $# -gt 0 ]; then backends=("$@"); else backends=(kvm unicorn); fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mmsim-oracle
find_bb() { ls "$cache"/extract/busybox-static_*_amd64/bin/busybox 2>/dev/null | sort | tail -n1; }
bb=$(find_bb)
if [ -z "$bb" ]; then
    "$src/tools/oracle/capture" --arch x86_64 --mem 512M --fetch-only --quiet >/dev/null 2>&1
    bb=$(find_bb)
fi
[ -n "$bb" ] || { echo "skip: Debian's busybox-static could not be fetched"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
selfmaps() {
local n=0 fx
for fx in "$src"/tests/fixtures/oracle/linux-6.1-x86_64-*.txt; do
    mem=$(sed -n 's/^# ram: //p' "$fx")
    sed -n '/^===SELFMAPS$/,/^===/p' "$fx" | sed '1d;$d' > "$work/real"
    [ -s "$work/real" ] || continue
    printf 'install %s /bin/busybox\nspawn p /bin/busybox cat /proc/self/maps\nexecute p\n' "$bb" > "$work/scn"
    "$mmsim" --arch x86_64 --mem "$mem" --cmdline norandmaps "${b[@]}" "$work/scn" > "$work/out" 2>&1
    grep -v '^execute p' "$work/out" > "$work/mmsim"
    # everything but the inode column (the 5th)
    if diff <(awk '{$5=""; print}' "$work/real") <(awk '{$5=""; print}' "$work/mmsim") > "$work/diff"; then
        echo "ok: $backend: $(basename "$fx"): $(wc -l < "$work/real") maps lines agree"
    else
        echo "FAIL: $backend: $(basename "$fx"): busybox cat /proc/self/maps differs (< real, > mmsim)"
        sed 's/^/  /' "$work/diff" | head -20
        fail=1
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no x86_64 capture with SELFMAPS"; exit 1; }
}

# The capture's own test program (tools/oracle/guest-user/usersteps.c, the
# same binary by sha256) in its modes — steps (mmap 10 MiB, read and write
# every page, munmap, mprotect, brk, fork and write in the child),
# thp-read, file (busybox mapped and read at and past its end), stack
# (growth against RLIMIT_STACK, with SIGSEGV handlers) — printing after
# each step its maps, smaps, status, statm, getrusage and vmstat counters.
# Judged: every line, except what depends on the rest of the real guest:
# the first value of each counter (the faults of its shell before exec,
# the THP events of earlier runs; the per-step deltas are judged), peak
# RSS, slab object counts, pids, inode numbers, and in file mode how
# /bin/busybox's pages are shared (the real guest's shells map them too,
# so its Pss, Shared and Private lines differ; Rss is judged).
normalize() {
    awk -v mode="$1" '
        /tunables/ { next }                                  # slab counts: the whole guest
        /^usersteps [a-z-]+ exit / { next }                  # the capture shell'"'"'s echo
        /^(ru_minflt|ru_majflt|ru_maxrss|pgfault|pgmajfault|thp_[a-z_]+) [0-9]+/ {
            if ($1 == "ru_maxrss" || !seen[$1]++) next       # history before the program
            sub(/ [0-9]+ /, " ")                              # keep the per-step delta
        }
        mode == "file" && /^(Pss|Pss_[A-Za-z]+|Shared_[A-Za-z]+|Private_[A-Za-z]+):/ { next }
        { gsub(/fork\(\) -> [0-9]+/, "fork() -> PID"); gsub(/wait4 -> [0-9]+/, "wait4 -> PID") }
        / \/(user\/usersteps|bin\/busybox)$/ { $5 = "" }     # inode numbers
        { print }'
}
# modes ARCH CAPTURE VIA_SH MODE:SECTION...: one machine runs the modes in
# the capture's order (so that what one leaves — the huge zero page — is
# there for the next, as in the real guest), each judged on its own.
modes() {
    local arch=$1 fx=$2 via_sh=$3
    shift 3
    local steps=$cache/guest-user/$arch/user/usersteps
    [ -x "$steps" ] || "$src/tools/oracle/guest-user/build" --arch "$arch" --no-dynamic >/dev/null 2>&1
    local want have
    want=$(sed -n 's/^sha256 \([0-9a-f]*\)  usersteps$/\1/p' "$fx" | head -n1)
    have=$([ -f "$steps" ] && sha256sum "$steps" | cut -d' ' -f1)
    if [ -z "$want" ] || [ "$want" != "$have" ]; then
        echo "skip: $arch usersteps: the program as the capture ran it is not in the oracle cache (tools/oracle/guest-user/build)"
        return
    fi
    local busybox=$bb
    [ "$arch" = i386 ] && busybox=$(ls "$cache"/extract/busybox-static_*_i386/bin/busybox 2>/dev/null | tail -n1)
    printf 'install %s /user/usersteps\n' "$steps" > "$work/scn"
    [ -n "$busybox" ] && printf 'install %s /bin/busybox\n' "$busybox" >> "$work/scn"
    local n=0 ms
    for ms in "$@"; do
        local mode=${ms%%:*}
        n=$((n + 1))
        if [ "$via_sh" = 1 ]; then
            printf 'spawn sh%d /bin/busybox sh -c "/user/usersteps %s; echo \\"usersteps %s exit $?\\""\n' "$n" "$mode" "$mode" >> "$work/scn"
            printf 'execute sh%d\n' "$n" >> "$work/scn"
        else
            # the environment busybox sh hands its children (as in the capture's guest)
            printf 'spawn p%d -i -e SHLVL=1 -e HOME=/ -e TERM=linux -e PATH=/sbin:/usr/sbin:/bin:/usr/bin -e PWD=/ /user/usersteps %s\nexecute p%d\n' "$n" "$mode" "$n" >> "$work/scn"
        fi
    done
    local mem; mem=$(sed -n 's/^# ram: //p' "$fx")
    "$mmsim" --arch "$arch" --mem "$mem" --cmdline norandmaps "${b[@]}" "$work/scn" 2>&1 | grep -v '^execute ' > "$work/out"
    local i=0
    for ms in "$@"; do
        local mode=${ms%%:*} section=${ms##*:} next=
        i=$((i + 1))
        [ "$i" -lt "$#" ] && { local rest=("$@"); next=${rest[$i]##*:}; }
        sed -n "/^===${section}\$/,/^usersteps $mode exit/p" "$fx" | normalize "$mode" > "$work/real"
        if [ -n "$next" ]; then
            sed -n "/^===${section}\$/,/^===${next}\$/p" "$work/out" | sed '$d'
        else
            sed -n "/^===${section}\$/,\$p" "$work/out"
        fi | normalize "$mode" > "$work/mmsim"
        local name="$backend: $arch usersteps $mode"
        if [ ! -s "$work/real" ]; then
            echo "FAIL: $name: no ===$section in $(basename "$fx")"; fail=1
        elif diff "$work/real" "$work/mmsim" > "$work/diff"; then
            echo "ok: $name: $(wc -l < "$work/real") lines agree with $(basename "$fx" .txt)"
        else
            echo "FAIL: $name differs from $(basename "$fx" .txt) (< real, > mmsim)"
            sed 's/^/  /' "$work/diff" | head -30
            fail=1
        fi
    done
}
# x86_64 from busybox sh, as the capture ran it. i386 on its own: an i386
# busybox needs the x87 and SSE, which this host's KVM does not run in
# compatibility mode (docs/fidelity.md).
all=(steps:STEPS_0_START thp-read:THP_0_START file:FILE_0_START stack:STACK_0_START)
for backend in "${backends[@]}"; do
    if [ "$backend" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
        echo "skip: kvm: /dev/kvm is not usable here"
        continue
    fi
    b=(--cpu-backend "$backend")
    selfmaps
    modes x86_64 "$src/tests/fixtures/oracle/user/linux-6.1-x86_64-8192M.txt" 1 "${all[@]}"
    for fx in "$src"/tests/fixtures/oracle/user/linux-6.1-i386-*.txt; do
        modes i386 "$fx" 0 "${all[@]}"
    done
done
exit $fail
