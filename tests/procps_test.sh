#!/usr/bin/env bash
# procps_test.sh — mmsim's free, vmstat, slabtop, ps and pmap against the
# real procps-ng tools (Debian 12's 4.0.2), byte for byte: procps_snapshot
# runs mmsim's tool and saves the /proc files it read; the real tool then
# runs on those very files, in a private mount namespace (unshare -m, which
# needs root). Usage: procps_test.sh SNAPSHOT
#
# free, vmstat and slabtop read a few files: those are bind-mounted over
# the real ones. ps and pmap walk /proc: they get a whole fake /proc (a
# tmpfs over /proc, filled from the snapshot's tree and chowned to each
# process's uid), in a new pid namespace too, so that the tool is pid 1 —
# mmsim's init, whose directory ps looks itself up in and /proc/self points
# to. Their "now" is the machine's (libfaketime, frozen at the snapshot's
# time), in UTC and the C locale, with 24 rows for ps --headers.
set -u
SNAP=${1:?usage: procps_test.sh PATH/TO/procps_snapshot}
for t in free vmstat slabtop ps pmap unshare mount; do
	command -v $t >/dev/null || { echo "procps_test: $t is missing (tools/install-deps)" >&2; exit 1; }
done
case "$(free --version 2>&1)" in
	*procps-ng\ 4.0.2*) ;;
	*) echo "procps_test: the reference is procps-ng 4.0.2 (Debian 12); found: $(free --version)" >&2; exit 1 ;;
esac
faketime_lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1)
[ -n "$faketime_lib" ] || { echo "procps_test: libfaketime is missing (tools/install-deps: faketime)" >&2; exit 1; }
if ! unshare -m -p -f true 2>/dev/null; then
	# Without mount and pid namespaces the real tools cannot be pointed at mmsim's files.
	echo "procps_test: SKIPPED: unshare -m -p is not permitted here (needs root)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$SNAP" "$tmp" || { echo "procps_test: procps_snapshot failed" >&2; exit 1; }

# ps lists processes in readdir order, which on the real /proc is by pid. A
# tmpfs lists a directory's entries in (reverse, on most kernels) order of
# creation: find which, so that the pid directories can be made in the
# order that lists them by pid.
order=$(unshare -m sh -c "mount -t tmpfs tmpfs '$tmp' && mkdir '$tmp/1' '$tmp/2' && ls -f '$tmp'" |
	grep -E '^[0-9]+$' | tr -d '\n')
case "$order" in
	12) make_order="sort -n" ;;
	21) make_order="sort -rn" ;;
	*) echo "procps_test: cannot tell a tmpfs's listing order ($order)" >&2; exit 1 ;;
esac

passed=0 failed=0
for cmd in "$tmp"/*.cmd; do
	n=${cmd%.cmd}
	tool=$(cat "$cmd")
	if [ -f "$n.tree" ]; then
		read -r base overlay < "$n.tree"
		base="$tmp/$base"
		[ -n "${overlay:-}" ] && overlay="$tmp/$overlay"
		unshare -m -p -f sh -c '
			base=$1 overlay=$2 make_order=$3 now=$4 lib=$5 tool=$6
			mount -t tmpfs tmpfs /proc || exit 99
			for pid in $(ls "$base" | grep -E "^[0-9]+$" | $make_order); do
				cp -a "$base/$pid" /proc/ || exit 99
			done
			for f in $(ls -A "$base" | grep -vE "^[0-9]+$|^\.owners$"); do
				cp -a "$base/$f" /proc/ || exit 99
			done
			[ -z "$overlay" ] || cp -a "$overlay/." /proc/ || exit 99
			while read -r pid uid gid; do
				chown -R "$uid:$gid" "/proc/$pid" || exit 99
			done < "$base/.owners"
			exec env -i PATH="$PATH" TZ=UTC LC_ALL=C LINES=24 \
				LD_PRELOAD="$lib" FAKETIME="$now" sh -c "exec $tool"
		' sh "$base" "${overlay:-}" "$make_order" "$(cat "$n.now")" "$faketime_lib" "$tool" \
			</dev/null >"$n.real" 2>"$n.err"
		real_rc=$?
		want_rc=$(cat "$n.rc")
		where="ps machine, tree $(basename "$base")"
	else
		unshare -m sh -c "
			mount --bind '$n.meminfo' /proc/meminfo &&
			mount --bind '$n.stat' /proc/stat &&
			mount --bind '$n.vmstat' /proc/vmstat &&
			mount --bind '$n.slabinfo' /proc/slabinfo &&
			$tool" >"$n.real" 2>"$n.err"
		real_rc=$?
		want_rc=0
		where="machine snapshot $(basename "$n")"
	fi
	if [ "$real_rc" -eq 99 ] || [ "$real_rc" -ge 126 ]; then
		failed=$((failed + 1))
		echo "FAIL: $tool ($where): could not run the real tool on the fake /proc" >&2
		cat "$n.err" >&2
	elif ! cmp -s "$n.real" "$n.out"; then
		failed=$((failed + 1))
		echo "FAIL: $tool ($where): mmsim and procps differ:" >&2
		diff "$n.real" "$n.out" | sed 's/^/    /' >&2
		cat "$n.err" >&2
	elif [ $((real_rc == 0)) -ne $((want_rc == 0)) ]; then
		failed=$((failed + 1))
		echo "FAIL: $tool ($where): procps exits with $real_rc, mmsim's command with $want_rc" >&2
		cat "$n.err" >&2
	else
		passed=$((passed + 1))
	fi
done
echo "procps_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
