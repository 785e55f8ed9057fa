# tools/oracle/guest-levels.sh — guest side of tools/oracle/capture, for log levels.
#
# Runs inside the real Linux kernel booted by tools/oracle/capture (busybox sh,
# as root, /proc /sys /dev mounted) when it is given `--script
# tools/oracle/guest-levels.sh`, and prints one "===NAME" section at a time:
# the whole kernel log with the log level of every record ("<N>" from
# syslog(2), and the /dev/kmsg "PRI,SEQ,USEC,FLAGS;" header), the command
# line, and the memory state that mem= and vmalloc= change.  /init prints
# ===END afterwards.  Used to capture tests/fixtures/oracle/levels/.

# busybox `dmesg -r` prints the raw syslog(2) buffer: every line keeps its
# "<N>" prefix (N = facility*8 + level; the kernel's facility is 0, so N is
# the level).  Lines of one record that the kernel split at '\n' each get
# the prefix again.
echo ===DMESG_RAW; dmesg -r
# /dev/kmsg: one record per read, "PRI,SEQ,USEC,FLAGS;text" plus " KEY=VALUE"
# dictionary lines.  `cat` would block at the end of the log, so it runs in
# the background and is stopped after a second.
echo ===KMSG
cat /dev/kmsg > /tmp/kmsg 2>/dev/null &
kpid=$!
sleep 1
kill $kpid 2>/dev/null
wait $kpid 2>/dev/null
cat /tmp/kmsg
echo ===CMDLINE; cat /proc/cmdline
echo ===MEMINFO; cat /proc/meminfo
echo ===ZONEINFO; cat /proc/zoneinfo
# kptr_restrict=1 lets root (CAP_SYSLOG) see real addresses behind %pK;
# with the default 0 they are hashed, and print as "(ptrval)" this early
echo 1 > /proc/sys/kernel/kptr_restrict
echo ===VMALLOCINFO; cat /proc/vmallocinfo
echo ===E820; dmesg | grep -E "e820|BIOS-e820|user-defined|user: |remove"
# every readable vm sysctl as "name = value" (stat_refresh, drop_caches and
# compact_memory are skipped: reading the first has side effects, the others
# are write-only)
echo ===SYSCTL_VM
for f in /proc/sys/vm/*; do
  case "${f##*/}" in stat_refresh|drop_caches|compact_memory) continue ;; esac
  v=$(cat "$f" 2>/dev/null | tr '\t\n' '  ' | sed 's/ *$//') || continue
  printf '%s = %s\n' "${f##*/}" "$v"
done
