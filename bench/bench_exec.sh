#!/usr/bin/env bash
# bench_exec.sh — real programs on mmsim's kernel (mmsim --exec, on the KVM
# backend and on the Unicorn one) beside the same static binaries run natively and under Debian's
# qemu-user (qemu-x86_64), the tool a user would otherwise pick to run a
# program under another kernel's rules. Each case runs RUNS times (default
# 5); the table gives the median wall time and the median CPU time
# (user + system, of the process and its children) with the fastest and
# slowest CPU time. Not part of the test suite.
#
#   compute   bench/guest/compute.c: a bytecode interpreter, 900 M bytecodes, no syscalls
#   syscalls  bench/guest/syscalls.c: 200,000 getpid()
#   faults    bench/guest/faults.c: 16,384 first-touch 4 KiB faults (64 MiB, MADV_NOHUGEPAGE)
#   sha256    busybox sha256sum of a 10 MiB file (Debian's busybox-static)
#
# usage: bench/bench_exec.sh [MMSIM] [RUNS]   (apt-get install qemu-user for the peer)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
mmsim=${1:-$src/build/mmsim}
runs=${2:-5}
ulib=$src/tools/oracle/guest-user
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "$here"/guest/*.c; do
    p=$(basename "$c" .c)
    gcc -m64 -static -nostdlib -fno-pie -no-pie -O2 -fno-stack-protector -ffreestanding \
        -fno-asynchronous-unwind-tables -fno-builtin -I"$ulib" -o "$work/$p" "$c" || exit 1
done
bb=$(ls "${XDG_CACHE_HOME:-$HOME/.cache}"/mmsim-oracle/extract/busybox-static_*_amd64/bin/busybox 2>/dev/null | tail -n1)
head -c $((10 << 20)) /dev/urandom > "$work/10M"
qemu=$(command -v qemu-x86_64 || true)

# one CMD...: "wall_s cpu_s" of one run (bash's time: the command and its children)
one() {
    local TIMEFORMAT='%R %U %S' out
    out=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
    awk '{printf "%s %.3f\n", $1, $2 + $3}' <<<"$out"
}
# measure NAME RUNNER CMD...: median wall, median/min/max CPU
measure() {
    local name=$1 runner=$2; shift 2
    local walls=() cpus=()
    for _ in $(seq "$runs"); do
        read -r w c <<<"$(one "$@")"
        walls+=("$w"); cpus+=("$c")
    done
    local mw; mw=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    local mc; mc=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f %.3f", a[int((NR+1)/2)], a[1], a[NR]}')
    read -r cmed cmin cmax <<<"$mc"
    printf '%-10s %-10s wall %8.3f s   cpu median %7.3f s (min %.3f, max %.3f)\n' "$name" "$runner" "$mw" "$cmed" "$cmin" "$cmax"
}

echo "# $(date -u +%F) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) ($(nproc) CPUs), $runs runs each"
for p in compute syscalls faults; do
    measure "$p" native "$work/$p"
    measure "$p" mmsim-kvm "$mmsim" --arch x86_64 --mem 1G --cpu-backend kvm --exec "$work/$p"
    measure "$p" mmsim-uc "$mmsim" --arch x86_64 --mem 1G --cpu-backend unicorn --exec "$work/$p"
    [ -n "$qemu" ] && measure "$p" qemu-user "$qemu" "$work/$p"
done
if [ -n "$bb" ]; then
    measure sha256 native "$bb" sha256sum "$work/10M"
    measure sha256 mmsim-kvm "$mmsim" --arch x86_64 --mem 1G --cpu-backend kvm --exec "$bb" sha256sum "$work/10M"
    measure sha256 mmsim-uc "$mmsim" --arch x86_64 --mem 1G --cpu-backend unicorn --exec "$bb" sha256sum "$work/10M"
    [ -n "$qemu" ] && measure sha256 qemu-user "$qemu" "$bb" sha256sum "$work/10M"
fi
