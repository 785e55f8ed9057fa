# tools/oracle/guest-layout.sh — guest side of tools/oracle/capture.
#
# Runs inside the real Linux kernel booted by tools/oracle/capture (busybox sh,
# as root, /proc /sys /dev mounted) and prints the memory-management state to
# the serial console, one "===NAME" section at a time.  The first block is the
# reference script (shared/reference/guest-layout.sh) unchanged, in the same
# order, so that its sections describe the same moment as the reference
# captures; the extra sections follow it.  /init prints ===END afterwards.

# --- reference sections (keep identical to shared/reference/guest-layout.sh) ---
echo ===E820; dmesg | grep -E "BIOS-e820|LOWMEM|HIGHMEM available|Zone ranges|^\[.*\]   (DMA|DMA32|Normal|HighMem)|Memory:|virtual kernel memory|fixmap|pkmap|vmalloc|lowmem|Movable zone|Early memory|node   0:" 
echo ===MEMINFO; cat /proc/meminfo
echo ===ZONEINFO; grep -E "^Node|pages free|        (min|low|high|spanned|present|managed)|protection" /proc/zoneinfo
echo ===BUDDYINFO; cat /proc/buddyinfo
echo ===SLABINFO; grep -E "^kmalloc|^dma-kmalloc|^kmem_cache|^vm_area_struct|^mm_struct|^task_struct|^anon_vma|^# name" /proc/slabinfo
echo ===SYSCTL; cat /proc/sys/vm/min_free_kbytes /proc/sys/vm/watermark_scale_factor /proc/sys/vm/lowmem_reserve_ratio
echo ===SELFMAPS; cat /proc/self/maps

# --- extra sections (mmsim oracle extension) ---
echo ===ZONEINFO_FULL; cat /proc/zoneinfo
echo ===PAGETYPEINFO; cat /proc/pagetypeinfo
echo ===SLABINFO_FULL; cat /proc/slabinfo
# kptr_restrict=1 lets root (CAP_SYSLOG) see real addresses behind %pK;
# with the default 0 they are hashed, and print as "(ptrval)" this early
echo 1 > /proc/sys/kernel/kptr_restrict
echo ===VMALLOCINFO; cat /proc/vmallocinfo
echo ===IOMEM; cat /proc/iomem
echo ===VMSTAT; cat /proc/vmstat
# every readable vm sysctl as "name = value" (stat_refresh, drop_caches and
# compact_memory are skipped: reading the first has side effects, the others
# are write-only)
echo ===SYSCTL_VM
for f in /proc/sys/vm/*; do
  case "${f##*/}" in stat_refresh|drop_caches|compact_memory) continue ;; esac
  v=$(cat "$f" 2>/dev/null | tr '\t\n' '  ' | sed 's/ *$//') || continue
  printf '%s = %s\n' "${f##*/}" "$v"
done
echo ===THP
for f in /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/defrag \
         /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan; do
  [ -r "$f" ] && printf '%s = %s\n' "${f#/sys/kernel/mm/transparent_hugepage/}" "$(cat "$f")"
done
echo ===CMDLINE; cat /proc/cmdline
echo ===DMESG; dmesg
