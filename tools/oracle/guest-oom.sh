# tools/oracle/guest-oom.sh — guest side of tools/oracle/capture for the OOM
# killer: run with `--script tools/oracle/guest-oom.sh --add PROG:/oomprobe`,
# PROG being tools/oracle/guest-user/oomprobe.c built for the guest's arch.
# mmsim runs the same script under Debian's busybox (tests/oom_test.sh).
#
# The workload of issue 12: three processes hold 40, 60 and 30 MiB with
# oom_score_adj 0, -500 and 500; their oom_score is printed; then a fourth
# grows until the OOM killer has killed what it must. Before that, the
# legacy /proc/PID/oom_adj is written and read back against oom_score_adj.
# The kernel's log of it all is printed last, with levels (dmesg -r).

echo ===OOM_ADJ
sleep 1000 &
s=$!
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
kill $s
wait $s 2>/dev/null

# hold VAR MB ADJ: start a holder and wait until it says all its pages are
# in (statm's rss may lag behind by a task's unfolded RSS events)
hold() {
  /oomprobe hold $2 $3 > /tmp/$1 &
  eval $1=$!
  until [ -s /tmp/$1 ] || ! kill -0 $! 2>/dev/null; do
    sleep 0.1
  done
  cat /tmp/$1
}
echo ===OOM_HOLD
hold a 40 0
hold b 60 -500
hold c 30 500
sleep 0.2
echo ===OOM_SCORE
for p in $a $b $c; do
  echo "pid $p oom_score $(cat /proc/$p/oom_score) oom_score_adj $(cat /proc/$p/oom_score_adj) oom_adj $(cat /proc/$p/oom_adj)"
done
echo ===OOM_GROW
/oomprobe grow
echo "grow exit $?"
echo ===OOM_ALIVE
for p in $a $b $c; do
  kill -0 $p 2>/dev/null && echo "pid $p alive" || echo "pid $p gone"
done
grep oom_kill /proc/vmstat
kill $a $b $c 2>/dev/null
echo ===OOM_DMESG
dmesg -r | sed -n '/deprecated\|invoked oom-killer/,$p'
