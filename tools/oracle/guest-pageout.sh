# tools/oracle/guest-pageout.sh — guest side of tools/oracle/capture for the
# MADV_PAGEOUT probe (tools/oracle/guest-user/pageoutprobe.c). With
# capture --swap, /init exports SWAPDEV: mkswap + swapon it first. With
# `capture --cmdline PAGEOUT_THP=1` (the kernel hands an unknown NAME=VALUE
# to init as its environment) the probe runs its THP steps instead.
dmesg_start=$(dmesg | wc -l)
thp=/sys/kernel/mm/transparent_hugepage
echo ===PAGEOUT_INFO
uname -srvm
echo "SWAPDEV=$SWAPDEV DISKS=$DISKS"
for b in /sys/block/*; do
  [ -r "$b/queue/rotational" ] || continue
  echo "$(basename "$b") size=$(cat "$b/size") rotational=$(cat "$b/queue/rotational")"
done
echo "zswap.enabled $(cat /sys/module/zswap/parameters/enabled 2>/dev/null)"
echo "lru_gen.enabled $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)"
for f in swappiness page-cluster min_free_kbytes overcommit_memory; do
  echo "vm.$f $(cat /proc/sys/vm/$f)"
done
echo "thp.enabled $(cat $thp/enabled)"
echo "ulimit -l $(ulimit -l)"
echo ===SWAPS_BOOT; cat /proc/swaps
if [ -n "$SWAPDEV" ]; then
  echo ===MKSWAP; mkswap "$SWAPDEV"; echo "mkswap exit $?"
  echo ===SWAPON; swapon "$SWAPDEV"; echo "swapon exit $?"
  echo ===SWAPS_ON; cat /proc/swaps
fi
echo ===PROBE
/user/pageoutprobe 16 ${PAGEOUT_THP:+thp}
echo "pageoutprobe exit $?"
echo ===SWAPS_END; cat /proc/swaps
echo ===DMESG_END; dmesg | tail -n +$((dmesg_start + 1))
