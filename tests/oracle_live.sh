#!/usr/bin/env bash
# oracle_live.sh — prove the oracle harness end to end: boot the real Debian
# 6.1 kernel under QEMU for one i386 and one x86_64 RAM size that no fixture
# covers, and compare mmsim with what it printed. Installs QEMU and fetches
# the kernel packages on first use (tools/oracle/capture); a boot takes ~5 s.
# Usage: oracle_live.sh PATH/TO/mmsim
set -euo pipefail
MMSIM=${1:?usage: oracle_live.sh PATH/TO/mmsim}
cd "$(dirname "$0")/.."
status=0
for machine in "i386 1200M" "x86_64 5120M"; do
	# shellcheck disable=SC2086
	tools/oracle/compare --live $machine --force --quiet --mmsim "$MMSIM" || status=1
done
exit $status
