# tools/oracle/scripts/percpu-probe.sh — a guest script for tools/oracle/capture
# that reads the percpu allocator's state after boot through /proc/kcore
# (kpeek.c), and lists the tasks the boot started: docs/notes/percpu.md.
#   build:  F="-O2 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie"
#           gcc $F -o /tmp/kpeek64 tools/oracle/scripts/kpeek.c
#           gcc -m32 $F -o /tmp/kpeek32 tools/oracle/scripts/kpeek.c
#   run:    tools/oracle/capture --arch x86_64 --mem 1G --script tools/oracle/scripts/percpu-probe.sh \
#             --add /tmp/kpeek64:/kpeek --out /tmp/percpu.txt --force
#           (i386: --arch i386 --add /tmp/kpeek32:/kpeek)
# x86_64's kallsyms names pcpu_first_chunk and the counters; the 686 kernel's
# has no data symbols, so there `kpeek find` scans the direct map for the
# first chunk's struct (nr_bits = its unit's bytes / 4).
echo 1 > /proc/sys/kernel/kptr_restrict	# kallsyms shows addresses to root
chmod +x /kpeek
echo ===TASKS
for d in /proc/[0-9]*; do
	p=${d#/proc/}
	set -- $(cat $d/stat 2>/dev/null)
	echo "$p ppid=$4 flags=$9 $(cat $d/comm)"
done | sort -n
echo ===PERCPU
if grep -q ' pcpu_first_chunk$' /proc/kallsyms; then
	for s in pcpu_nr_empty_pop_pages pcpu_nr_populated pcpu_nr_units pcpu_unit_pages; do
		echo "== $s"
		/kpeek $(awk -v s=$s '$3==s{print $1}' /proc/kallsyms) 8
	done
	# struct pcpu_chunk: list (2 words), free_bytes, chunk_md, ... nr_pages, nr_populated, nr_empty_pop_pages
	echo "== pcpu_first_chunk"
	/kpeek @$(awk '$3=="pcpu_first_chunk"{print $1}' /proc/kallsyms) 0 100
else
	echo "== pcpu_first_chunk (found by scanning)"
	/kpeek find 0xc0000000 0xf7000000 0x2000
fi
grep -E 'Percpu|VmallocUsed|KernelStack' /proc/meminfo
echo ===VMALLOCINFO
cat /proc/vmallocinfo
echo ===END
