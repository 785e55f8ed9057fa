# tools/oracle/guest-user.sh — guest side of tools/oracle/capture, for the
# user address space.
#
# Runs inside the real Linux kernel booted by tools/oracle/capture (busybox sh,
# as root, /proc /sys /dev mounted) when it is given `--script
# tools/oracle/guest-user.sh --add DIR:/`, DIR being the tree staged by
# tools/oracle/guest-user/build (/user/execstop, /user/usersteps, the
# dynamic /opt/dyn/true with its ld.so and libc).  It prints one "===NAME"
# section at a time; the programs print their own sections.  /init prints
# ===END afterwards.  Used to capture tests/fixtures/oracle/user/ (see the
# README there for what each section is).

# the kernel log lines this script causes are printed at the end (===DMESG_END)
dmesg_start=$(dmesg | wc -l)
slabs='^(# name|task_struct|mm_struct|vm_area_struct|anon_vma|anon_vma_chain|files_cache|signal_cache|sighand_cache|pid|cred_jar) '

echo ===USER_INFO
uname -srvm
cat /user/VERSIONS
printf 'randomize_va_space %s\n' "$(cat /proc/sys/kernel/randomize_va_space)"
printf 'overcommit_memory %s\n' "$(cat /proc/sys/vm/overcommit_memory)"
printf 'overcommit_ratio %s\n' "$(cat /proc/sys/vm/overcommit_ratio)"
printf 'mmap_min_addr %s\n' "$(cat /proc/sys/vm/mmap_min_addr)"
printf 'max_map_count %s\n' "$(cat /proc/sys/vm/max_map_count)"
for f in enabled defrag use_zero_page hpage_pmd_size khugepaged/pages_to_scan; do
  [ -r /sys/kernel/mm/transparent_hugepage/$f ] && \
    printf 'thp %s %s\n' "$f" "$(cat /sys/kernel/mm/transparent_hugepage/$f)"
done
printf 'shmem_enabled %s\n' "$(cat /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null)"
grep -E '^(Max stack size|Max locked memory|Max address space|Max data size)' /proc/self/limits
echo ===USER_FILES
ls -lni /bin/busybox /user /opt/dyn /lib /lib64 2>&1
echo ===SELFMAPS_SH; cat /proc/$$/maps

# --- processes stopped at their first instruction
/user/execstop -n EXEC_BUSYBOX -a busybox /bin/busybox true
/user/execstop -n EXEC_SELF /user/execstop
/user/execstop -n EXEC_USERSTEPS /user/usersteps steps
/user/execstop -n EXEC_DYNTRUE -c /opt/dyn/true
echo ===DYNTRUE_RUN
/opt/dyn/true; echo "/opt/dyn/true exit $?"

# --- the step-by-step scenario, with the system state around it
echo ===MEMINFO_BEFORE; cat /proc/meminfo
echo ===SLABINFO_BEFORE; grep -E "$slabs" /proc/slabinfo
/user/usersteps steps
echo "usersteps steps exit $?"
echo ===MEMINFO_AFTER; cat /proc/meminfo
echo ===SLABINFO_AFTER; grep -E "$slabs" /proc/slabinfo

/user/usersteps thp-read
echo "usersteps thp-read exit $?"
/user/usersteps file
echo "usersteps file exit $?"
/user/usersteps stack
echo "usersteps stack exit $?"

# --- system calls that must fail; the execve targets are made here
printf 'hello, I am not an ELF file\n' > /tmp/notelf
head -c 16 /bin/busybox > /tmp/elf16
head -c 100 /bin/busybox > /tmp/elf100
head -c 4096 /bin/busybox > /tmp/elf4096
cp /tmp/notelf /tmp/noexec
printf '#!/nonexistent/interpreter\n' > /tmp/badscript
chmod 755 /tmp/notelf /tmp/elf16 /tmp/elf100 /tmp/elf4096 /tmp/badscript
chmod 644 /tmp/noexec
echo ===ERRNO_FILES; ls -ln /tmp
/user/usersteps errno
echo "usersteps errno exit $?"

# --- overcommit: the same mappings under each vm.overcommit_memory mode
for m in 0 1 2; do
  echo $m > /proc/sys/vm/overcommit_memory
  /user/usersteps overcommit
  echo "usersteps overcommit exit $?"
done
echo 0 > /proc/sys/vm/overcommit_memory

echo ===VMSTAT_END; cat /proc/vmstat
echo ===MEMINFO_END; cat /proc/meminfo
echo ===DMESG_END; dmesg | tail -n +$((dmesg_start + 1))
