# tools/oracle/guest-compact.sh — guest side of tools/oracle/capture for
# fragmentation and compaction: the compaction sysctls and debugfs files at
# boot, then tools/oracle/guest-user/compactprobe (added as /compactprobe)
# fragmenting memory and compacting it with /proc/sys/vm/compact_memory.
# /compact.conf may set MIB (default 96), the size of each of the probe's
# two areas. tests/fixtures/oracle/compact/README.md says what is kept.
MIB=96
[ -r /compact.conf ] && . /compact.conf
mount -t debugfs none /sys/kernel/debug 2>/dev/null

echo ===COMPACT_INFO
uname -srvm
for f in compact_unevictable_allowed compaction_proactiveness extfrag_threshold; do
  echo "vm.$f $(cat /proc/sys/vm/$f)"
done
echo "compact_memory read: $(cat /proc/sys/vm/compact_memory 2>&1)"
echo "compact_memory mode: $(stat -c %a /proc/sys/vm/compact_memory)"
echo "write 2: $(echo 2 > /proc/sys/vm/compact_memory 2>&1 && echo ok)"
echo "thp.enabled $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
ls /sys/kernel/debug/extfrag/
/compactprobe "$MIB" compact
echo ===COMPACT_DMESG
dmesg | grep -i -E 'compact|migrat' | tail -5
echo ===COMPACT_END
