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
exit $fail
