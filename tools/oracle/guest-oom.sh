# tools/oracle/guest-oom.sh — guest side of tools/oracle/capture for the OOM
# killer: run with `--script tools/oracle/guest-oom.sh --add PROG:/oomprobe`,
# PROG being tools/oracle/guest-user/oomprobe.c built for the guest's arch.
# mmsim runs the same `oomprobe run` (tests/oom_oracle_test.sh).
#
# The workload of issue 12: three processes hold 40, 60 and 30 MiB with
# oom_score_adj 0, -500 and 500; their oom_score is printed; then a fourth
# grows until the OOM killer has killed what it must. Before that, the
# legacy /proc/PID/oom_adj is written and read back against oom_score_adj.
# The kernel's log of it all is printed last, with levels (dmesg -r).

echo ===OOM_ADJ
# the shell's own files (what it sets, its children inherit: it ends at 0)
s=$$
for v in 5 -5 15 -17 0; do
  echo $v > /proc/$s/oom_adj
  echo "oom_adj $v: oom_adj $(cat /proc/$s/oom_adj) oom_score_adj $(cat /proc/$s/oom_score_adj)"
done
for v in 300 -300 1000 -1000 999 0; do
  echo $v > /proc/$s/oom_score_adj
  echo "oom_score_adj $v: oom_adj $(cat /proc/$s/oom_adj) oom_score_adj $(cat /proc/$s/oom_score_adj)"
done
for v in 16 -18 x; do
  echo $v > /proc/$s/oom_adj 2>/dev/null && echo "oom_adj $v: accepted" || echo "oom_adj $v: refused"
done
for v in 1001 -1001 x; do
  echo $v > /proc/$s/oom_score_adj 2>/dev/null && echo "oom_score_adj $v: accepted" || echo "oom_score_adj $v: refused"
done

# The workload itself: holders, their oom_score, the grower, who is left
# (one program, so that mmsim runs it the same way: tests/oom_oracle_test.sh).
/oomprobe run
echo ===OOM_DMESG
dmesg -r | sed -n '/deprecated\|invoked oom-killer/,$p'
