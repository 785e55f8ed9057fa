# tools/oracle/guest-swapmax.sh — guest side of tools/oracle/capture: how
# many swap areas the kernel accepts (MAX_SWAPFILES), with 256 KiB swap
# areas on loop devices over files in the initramfs' tmpfs, until swapon
# fails. Run with `tools/oracle/capture --script tools/oracle/guest-swapmax.sh
# --modules loop`. Debian's 6.1: 26 on amd64, 27 on 686 (tests/test_swap.c).
echo ===SWAPMAX
n=0
for i in $(seq 0 33); do
  [ -e /dev/loop$i ] || mknod /dev/loop$i b 7 $i
  dd if=/dev/zero of=/tmp/s$i bs=64k count=4 2>/dev/null
  losetup /dev/loop$i /tmp/s$i || { echo "losetup $i failed"; break; }
  mkswap /dev/loop$i >/dev/null 2>&1 || { echo "mkswap $i failed"; break; }
  if swapon /dev/loop$i 2>/tmp/err; then n=$((n+1)); else echo "swapon $i: $(cat /tmp/err)"; break; fi
done
echo "swap areas accepted: $n"
wc -l < /proc/swaps
echo ===SWAPMAX_END
