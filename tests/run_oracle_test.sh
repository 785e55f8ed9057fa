#!/usr/bin/env bash
# run_oracle_test.sh — the real busybox on mmsim's kernel against the real
# kernel: every x86_64 capture in tests/fixtures/oracle/ has, in SELFMAPS,
# what Debian's 6.1 printed for `busybox cat /proc/self/maps` (norandmaps).
# The same busybox, installed at the same path, runs here on the host's CPU
# through mmsim's page tables (the `execute` command) on a machine of the
# capture's size, and must print the same lines: addresses, permissions,
# offsets, device and name. Only the inode number is not judged (the
# initramfs numbers its directories too).
#
# usage: run_oracle_test.sh MMSIM SOURCE_DIR
# Skipped (77) without a usable /dev/kvm or when Debian's busybox-static
# cannot be fetched into the oracle cache.
set -uo pipefail
mmsim=$1 src=$2
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "skip: /dev/kvm is not usable here"; exit 77; }
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
fail=0 n=0
for fx in "$src"/tests/fixtures/oracle/linux-6.1-x86_64-*.txt; do
    mem=$(sed -n 's/^# ram: //p' "$fx")
    sed -n '/^===SELFMAPS$/,/^===/p' "$fx" | sed '1d;$d' > "$work/real"
    [ -s "$work/real" ] || continue
    printf 'install %s /bin/busybox\nspawn p /bin/busybox cat /proc/self/maps\nexecute p\n' "$bb" > "$work/scn"
    "$mmsim" --arch x86_64 --mem "$mem" --cmdline norandmaps "$work/scn" > "$work/out" 2>&1
    grep -v '^execute p' "$work/out" > "$work/mmsim"
    # everything but the inode column (the 5th)
    if diff <(awk '{$5=""; print}' "$work/real") <(awk '{$5=""; print}' "$work/mmsim") > "$work/diff"; then
        echo "ok: $(basename "$fx"): $(wc -l < "$work/real") maps lines agree"
    else
        echo "FAIL: $(basename "$fx"): busybox cat /proc/self/maps differs (< real, > mmsim)"
        sed 's/^/  /' "$work/diff" | head -20
        fail=1
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no x86_64 capture with SELFMAPS"; exit 1; }

# The address-space steps (tools/oracle/guest-user/usersteps.c: mmap 10 MiB,
# read and write every page, munmap, mprotect, brk, fork and write in the
# child), the program itself printing its maps, smaps, status, statm and
# getrusage after each step. Judged: every line, except what depends on
# the rest of the real guest (its shell's history: the first fault count
# and the peak RSS it hands over across exec; the system-wide pgfault
# total; slab object counts; pids) and inode numbers. Per-step fault
# deltas are judged.
normalize() {
    awk '
        /tunables/ { next }                                  # slab counts: the whole guest
        /^usersteps steps exit / { next }                    # the capture shell'"'"'s echo
        /^(ru_minflt|ru_maxrss|pgfault) / {
            if (!seen[$1]++) next                            # first value: history before
            sub(/ [0-9]+ /, " ")                              # keep the per-step delta
            if ($1 != "ru_minflt" && $1 != "pgfault") next    # ru_maxrss: a peak, from before
        }
        { gsub(/fork\(\) -> [0-9]+/, "fork() -> PID"); gsub(/wait4 -> [0-9]+/, "wait4 -> PID") }
        / \/user\/usersteps$/ { $5 = "" }                     # inode numbers
        { print }'
}
# steps ARCH CAPTURE VIA_SH: run usersteps steps (from busybox sh if VIA_SH) and judge it
steps() {
    local arch=$1 fx=$2 via_sh=$3
    local steps=$cache/guest-user/$arch/user/usersteps
    [ -x "$steps" ] || "$src/tools/oracle/guest-user/build" --arch "$arch" --no-dynamic >/dev/null 2>&1
    local want have
    want=$(sed -n 's/^sha256 \([0-9a-f]*\)  usersteps$/\1/p' "$fx" | head -n1)
    have=$([ -f "$steps" ] && sha256sum "$steps" | cut -d' ' -f1)
    if [ -z "$want" ] || [ "$want" != "$have" ]; then
        echo "skip: $arch usersteps as the capture ran it is not in the oracle cache (tools/oracle/guest-user/build)"
        return
    fi
    printf 'install %s /user/usersteps\n' "$steps" > "$work/scn"
    if [ "$via_sh" = 1 ]; then
        printf 'install %s /bin/busybox\n' "$bb" >> "$work/scn"
        printf 'spawn sh /bin/busybox sh -c "/user/usersteps steps; echo \\"usersteps steps exit $?\\""\n' >> "$work/scn"
        printf 'execute sh\n' >> "$work/scn"
    else
        printf 'spawn p /user/usersteps steps\nexecute p\n' >> "$work/scn"
    fi
    local mem; mem=$(sed -n 's/^# ram: //p' "$fx")
    "$mmsim" --arch "$arch" --mem "$mem" --cmdline norandmaps "$work/scn" > "$work/out" 2>&1
    sed -n '/^===STEPS_0_START/,/^===MEMINFO_AFTER/p' "$fx" | sed '$d' | normalize > "$work/real"
    sed -n '/^===STEPS_0_START/,$p' "$work/out" | grep -v '^execute ' | normalize > "$work/mmsim"
    if diff "$work/real" "$work/mmsim" > "$work/diff"; then
        echo "ok: $arch usersteps steps: $(wc -l < "$work/real") lines agree with $(basename "$fx" .txt)"
    else
        echo "FAIL: $arch usersteps steps differs from $(basename "$fx" .txt) (< real, > mmsim)"
        sed 's/^/  /' "$work/diff" | head -30
        fail=1
    fi
}
# x86_64 from busybox sh, as the capture ran it; i386 on its own (an i386
# busybox needs the x87 and SSE, which this host's KVM does not run in
# compatibility mode — see docs/fidelity.md).
steps x86_64 "$src/tests/fixtures/oracle/user/linux-6.1-x86_64-8192M.txt" 1
for fx in "$src"/tests/fixtures/oracle/user/linux-6.1-i386-*.txt; do
    steps i386 "$fx" 0
done
exit $fail
