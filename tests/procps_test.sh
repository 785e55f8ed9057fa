#!/usr/bin/env bash
# procps_test.sh — mmsim's free, vmstat and slabtop against the real
# procps-ng tools (Debian 12's 4.0.2), byte for byte: procps_snapshot runs
# mmsim's tool and saves the /proc files it read; the real tool then runs
# on those very files, bind-mounted over /proc in a private mount
# namespace (unshare -m, which needs root). Usage: procps_test.sh SNAPSHOT
set -u
SNAP=${1:?usage: procps_test.sh PATH/TO/procps_snapshot}
for t in free vmstat slabtop unshare mount; do
	command -v $t >/dev/null || { echo "procps_test: $t is missing (tools/install-deps)" >&2; exit 1; }
done
case "$(free --version 2>&1)" in
	*procps-ng\ 4.0.2*) ;;
	*) echo "procps_test: the reference is procps-ng 4.0.2 (Debian 12); found: $(free --version)" >&2; exit 1 ;;
esac
if ! unshare -m true 2>/dev/null; then
	# Without a mount namespace the real tools cannot be pointed at mmsim's files.
	echo "procps_test: SKIPPED: unshare -m is not permitted here (needs root)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$SNAP" "$tmp" || { echo "procps_test: procps_snapshot failed" >&2; exit 1; }
passed=0 failed=0
for cmd in "$tmp"/*.cmd; do
	n=${cmd%.cmd}
	tool=$(cat "$cmd")
	unshare -m sh -c "
		mount --bind '$n.meminfo' /proc/meminfo &&
		mount --bind '$n.stat' /proc/stat &&
		mount --bind '$n.vmstat' /proc/vmstat &&
		mount --bind '$n.slabinfo' /proc/slabinfo &&
		$tool" >"$n.real" 2>"$n.err"
	if cmp -s "$n.real" "$n.out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $tool (machine snapshot $(basename "$n")): mmsim and procps differ:" >&2
		diff "$n.real" "$n.out" | sed 's/^/    /' >&2
		cat "$n.err" >&2
	fi
done
echo "procps_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
