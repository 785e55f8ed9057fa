# tools/oracle/guest-swap.sh — guest side of tools/oracle/capture, for swap
# and reclaim under memory pressure.
#
# Runs inside the real kernel booted by `tools/oracle/capture --script
# tools/oracle/guest-swap.sh --add DIR:/`, DIR holding /user/swapprobe
# (tools/oracle/guest-user/swapprobe.c) and /swaptest.conf, which sets
#   MODE=boot|anon|file   what to run (boot: only the swapon steps)
#   MIB=N                 anon: MiB of anonymous memory for swapprobe
#   PASSES=N              file: how many times swapprobe reads the file
#   FILE=PATH             file: the file, relative to the mounted disk
#   THP=never|always|''   write this to transparent_hugepage/enabled first
# With capture --swap, /init exports SWAPDEV and this script mkswaps and
# swapons it; with --disk (and --modules ext4), DISKS names the disk that
# MODE=file mounts read-only on /mnt.  tools/oracle/guest-user/recapture-swap
# drives it; tests/fixtures/oracle/swap/README.md says what the sections show.

dmesg_start=$(dmesg | wc -l)
MODE=boot MIB=0 PASSES=1 FILE='' THP=''
[ -r /swaptest.conf ] && . /swaptest.conf
thp=/sys/kernel/mm/transparent_hugepage

echo ===SWAP_INFO
uname -srvm
cat /swaptest.conf 2>/dev/null
echo "SWAPDEV=$SWAPDEV DISKS=$DISKS"
for b in /sys/block/*; do
  [ -r "$b/queue/rotational" ] || continue
  echo "$(basename "$b") size=$(cat "$b/size") rotational=$(cat "$b/queue/rotational") scheduler=$(cat "$b/queue/scheduler") discard_max_bytes=$(cat "$b/queue/discard_max_bytes")"
done
echo "zswap.enabled $(cat /sys/module/zswap/parameters/enabled 2>/dev/null)"
echo "lru_gen.enabled $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)"
echo "swap.vma_ra_enabled $(cat /sys/kernel/mm/swap/vma_ra_enabled 2>/dev/null)"
for f in swappiness page-cluster min_free_kbytes watermark_scale_factor watermark_boost_factor overcommit_memory; do
  echo "vm.$f $(cat /proc/sys/vm/$f)"
done
[ -n "$THP" ] && echo "$THP" > $thp/enabled
echo "thp.enabled $(cat $thp/enabled)"
echo "thp.defrag $(cat $thp/defrag)"

echo ===SWAPS_BOOT; cat /proc/swaps
if [ -n "$SWAPDEV" ]; then
  echo ===MKSWAP; mkswap "$SWAPDEV"; echo "mkswap exit $?"
  echo ===SWAPON; swapon "$SWAPDEV"; echo "swapon exit $?"
  echo ===SWAPS_ON; cat /proc/swaps
  echo ===SWAPON_DMESG; dmesg | grep -E 'Adding [0-9]+k swap on '
fi

case "$MODE" in
  anon)
    /user/swapprobe anon "$MIB"
    echo "swapprobe exit $?"
    ;;
  file)
    mkdir -p /mnt
    set -- $DISKS
    echo ===MOUNT
    mount -t ext2 -o ro "$1" /mnt; echo "mount exit $?"
    ls -ln /mnt
    # nothing of the file in the page cache yet: the mount read only metadata
    /user/swapprobe file "/mnt/$FILE" "$PASSES"
    echo "swapprobe exit $?"
    ;;
esac
[ -n "$SWAPDEV" ] && { echo ===SWAPS_END; cat /proc/swaps; }
echo ===DMESG_END; dmesg | tail -n +$((dmesg_start + 1))
