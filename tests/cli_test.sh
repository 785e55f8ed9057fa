#!/usr/bin/env bash
# cli_test.sh — the mmsim command as a user meets it: output for good input,
# and for bad input one clear line (FILE:LINE: or mmsim:) and exit status 2.
# Usage: cli_test.sh PATH/TO/mmsim
set -u
MMSIM=${1:?usage: cli_test.sh PATH/TO/mmsim}
NAME=cli_test
. "$(dirname "$0")/expect.sh"

# The issue's acceptance lines, from the real 686 kernel with 2 GiB.
expect_ok dmesg-dma "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]" -- --arch i386 --mem 2048M --e820 qemu -e dmesg
expect_ok dmesg-normal "  Normal   [mem 0x0000000001000000-0x0000000036bfdfff]" -- --arch i386 --mem 2048M -e dmesg
expect_ok dmesg-highmem "  HighMem  [mem 0x0000000036bfe000-0x000000007ffdffff]" -- -e dmesg
expect_ok dmesg-highmem-mb "1171MB HIGHMEM available." -- -e dmesg
expect_ok dmesg-lowmem-mb "875MB LOWMEM available." -- -e dmesg
expect_ok x86_64-dma32 "  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]" -- --arch x86_64 --mem 8192M -e dmesg
expect_ok zoneinfo-spanned "        spanned  220158" -- -e 'cat /proc/zoneinfo'
expect_ok demo "verify: ok" -- demo
expect_ok demo-x86_64 "verify: ok" -- --arch x86_64 --mem 1G demo
expect_ok classic "896MB LOWMEM available." -- --profile classic -e dmesg
expect_ok repeat "verify: ok" -- --mem 128M -e 'repeat 300 alloc_pages p$i GFP_KERNEL 0; repeat 300 free_pages p$i; verify'
expect_ok show "zone DMA" -- -e 'alloc_pages d GFP_DMA 2; show d'
expect_ok sysctl "vm.min_free_kbytes = 8192" -- -e 'sysctl -w vm.min_free_kbytes=8192'
expect_ok sysctl-read "vm.watermark_scale_factor = 10" -- -e 'sysctl vm.watermark_scale_factor'
expect_ok bad-free-reported "BUG: Bad page state in process mmsim" -- -e 'alloc_pages a GFP_KERNEL 0; show a; free_pfn 0x10 0; dmesg'
expect_ok zero "00000000  00 00 00 00" -- -e 'alloc_pages a GFP_KERNEL 0; fill a 0xab; free_pages a; drain; alloc_pages b GFP_KERNEL|__GFP_ZERO 0; hexdump b 0 16'
expect_ok failure-is-not-an-error "allocation failed" -- --mem 64M -e 'repeat 5 alloc_pages d$i GFP_DMA 10'
expect_ok comment "ok" -- -e 'echo ok # not a command ; still a comment'
printf 'dmesg\n' | "$MMSIM" - >/dev/null 2>&1 && ok || fail "stdin script"
cat >"$tmp/map" <<'MAP'
# a 256 MiB machine
0x0000000000000000-0x000000000009fbff usable
0x000000000009fc00-0x000000000009ffff reserved
0x0000000000100000-0x000000000fffffff usable
MAP
expect_ok e820-file "  node   0: [mem 0x0000000000100000-0x000000000fffffff]" -- --e820 "$tmp/map" -e dmesg

# The report: a file it cannot write is an error naming it (at the end too), '-' wants --json.
expect_err cat-pagemap "-e:1: cat: /proc/p/pagemap: a binary file, read by programs at an offset (--exec); not text" -- -e 'spawn p; cat /proc/p/pagemap'
expect_err report-dir "-e:1: report: /nonexistent/r.html: No such file or directory" -- -e 'report /nonexistent/r.html'
expect_err report-stdout "-e:1: report: an HTML report goes to a file; '-' is for --json" -- -e 'report -'
expect_err report-usage "-e:1: usage: report [--json] FILE.html|- [LABEL]" -- -e 'report a b c'
expect_err report-end "mmsim: --report: /nonexistent/r.html: No such file or directory" -- --report /nonexistent/r.html -e 'echo hi'
expect_err report-exec "mmsim: --report goes with a scenario (-e TEXT or SCRIPT), not --exec" -- --report r.html --exec /bin/true
expect_ok report-json '{"report":1,' -- --arch x86_64 --mem 1T -e 'report --json -'
expect_ok report-json-mode '{"report":1,' -- --json -e 'report -'
"$MMSIM" --json -e "report $tmp/r.html" >/dev/null 2>&1 && head -c 15 "$tmp/r.html" | grep -q '<!DOCTYPE html>' && ok || fail "report FILE under --json writes HTML"

expect_err json-held-output "-e:1: more than 64 MiB of output, too much to hold for one JSON document" -- --json --max-steps 100000000 -e 'repeat 3000000 echo 0123456789012345678901234567890'

# Bad options.
expect_err bad-arch "mmsim: --arch: 'arm' is not an architecture" -- --arch arm
expect_err bad-mem "mmsim: --mem: 'lots' is not a size" -- --mem lots
expect_err small-mem "mmsim: --mem: 1M is outside" -- --mem 1M
expect_err tiny-ram "RAM too small" -- --mem 24M -e dmesg
expect_err bad-cpus "mmsim: --cpus:" -- --cpus 0
expect_err too-many-cpus "33 CPUs" -- --cpus 33 -e dmesg
expect_err bad-profile "mmsim: --profile: 'linux-2.4'" -- --profile linux-2.4
expect_err unknown-option "mmsim: unknown option '--frobnicate'" -- --frobnicate
expect_err missing-arg "mmsim: --mem needs an argument" -- --mem
expect_err both-inputs "either -e TEXT or a SCRIPT" -- -e dmesg script.txt
expect_err no-script "mmsim: nosuch.mmsim: No such file or directory" -- nosuch.mmsim
printf '0x0-0x9ffff usable\n0x9f000-0xfffff reserved\n' >"$tmp/overlap"
expect_err e820-overlap "e820 entries overlap" -- --e820 "$tmp/overlap"
printf '0x0-0x9ffff usable\n0x100000-0x7ffffff bogus\n' >"$tmp/badtype"
expect_err e820-line "$tmp/badtype:2: unknown e820 type 'bogus'" -- --e820 "$tmp/badtype"
expect_err mem-and-e820 "both give the RAM size" -- --mem 64M --e820 "$tmp/map"

# Bad scenario input names the place.
expect_err unknown-command "-e:1: unknown command 'frob'" -- -e 'frob'
expect_err second-command "-e:1: unknown command 'nope'" -- -e 'dmesg; nope'
expect_err bad-gfp "-e:1: unknown GFP flag 'GFP_BOGUS'" -- -e 'alloc_pages a GFP_KERNEL|GFP_BOGUS 0'
expect_err bad-zone-combo "GFP_ZONE_BAD" -- -e 'alloc_pages a GFP_DMA|__GFP_HIGHMEM 0'
expect_err bad-order "order: 'x' is not a number" -- -e 'alloc_pages a GFP_KERNEL x'
expect_err big-order "order: 99 is out of range" -- -e 'alloc_pages a GFP_KERNEL 99'
expect_ok double-free "page dumped because: VM_BUG_ON_PAGE" -- -e 'alloc_pages a GFP_KERNEL 0; free_pages a; free_pages a; dmesg'
expect_err use-after-free "'a' was freed" -- -e 'alloc_pages a GFP_KERNEL 0; free_pages a; fill a 1'
expect_err free-unknown "-e:1: 'ghost' is not a page block (see alloc_pages)" -- -e 'free_pages ghost'
expect_err double-name "-e:1: 'a' already names a page block (free_pages it first, or pick another name)" -- -e 'alloc_pages a GFP_KERNEL 0; alloc_pages a GFP_KERNEL 0'
expect_err usage "usage: alloc_pages NAME GFP ORDER" -- -e 'alloc_pages a'
expect_err bad-path "-e:1: cat: /proc/nope: No such file or directory" -- -e 'cat /proc/nope'
expect_err bad-pfn "is not memory on this machine" -- -e 'free_pfn 0x99999999 0'
expect_err bad-sysctl "Invalid argument" -- -e 'sysctl -w vm.watermark_scale_factor=0'
printf 'dmesg\n\n# comment\nalloc_pages a GFP_KERNEL 0\nfree_pages b\n' >"$tmp/script"
expect_err script-line "$tmp/script:5: 'b' is not a page block" -- "$tmp/script"
printf 'dmesg\0junk' >"$tmp/binary"
expect_err binary "binary data" -- "$tmp/binary"


# Kernel virtual memory: the examples and the task scheduler.
EX=$(cd "$(dirname "$0")/../examples" && pwd)
expect_ok kmap-sleeps "[B] kmap h1024: sleeps (pkmap_map_wait)" -- "$EX/kmap-sleeps.mmsim"
expect_ok kmap-wakes "[A] kunmap h5: wakes B" -- "$EX/kmap-sleeps.mmsim"
expect_ok kmap-retried "[B] kmap h1024: woken, retried, done" -- "$EX/kmap-sleeps.mmsim"
expect_ok stale-tlb "f8000000  66 72 61 6d 65 20 41 00  |frame A.|" -- --mem 256M "$EX/stale-tlb.mmsim"
expect_ok stale-tlb-cured "f8000000  66 72 61 6d 65 20 42 00  |frame B.|" -- --mem 256M "$EX/stale-tlb.mmsim"
a=$("$MMSIM" --seed 5 "$EX/kmap-sleeps.mmsim"); b=$("$MMSIM" --seed 5 "$EX/kmap-sleeps.mmsim")
[ "$a" = "$b" ] && ok || fail "same seed, different interleaving"
expect_ok deadlock "run: task B is blocked forever (deadlock)" -- -e 'repeat 1025 alloc_pages h$i GFP_HIGHUSER 0; repeat 1024 kmap h$i
task B {
kmap h1024
}
run'
expect_ok oops "BUG: unable to handle page fault for address: f8000000" -- -e 'peek 0xf8000000; dmesg'
expect_ok translate-fault "page fault, error_code 0x5 (protection, read, user)" -- -e 'translate 0xc1000000 user'
expect_ok walk "-> large page, phys 0x1000000, pfn 0x1000" -- -e 'walk 0xc1000000'
expect_ok kmap-atomic-lifo "WARNING: CPU: 0 PID: 1 at mm/highmem.c kunmap_local_indexed" -- -e 'alloc_pages a GFP_HIGHUSER 0; alloc_pages b GFP_HIGHUSER 0; kmap_atomic x a; kmap_atomic y b; kunmap_atomic x; kunmap_atomic y; dmesg'
expect_ok classic-km-type "frame B" -- --profile classic --cpus 1 -e 'alloc_pages a GFP_HIGHUSER 0; alloc_pages b GFP_HIGHUSER 0; kmap_atomic x a KM_USER0; poke x frame A; kmap_atomic y b KM_USER0; poke y frame B; peek x 8'
expect_err kmap-forever "would sleep forever" -- -e 'repeat 1025 alloc_pages h$i GFP_HIGHUSER 0; repeat 1025 kmap h$i'
expect_err task-unclosed "task body is not closed" -- -e 'task A {
dmesg'
expect_err km-type-needed "needs a KM_TYPE" -- --profile classic -e 'alloc_pages a GFP_HIGHUSER 0; kmap_atomic x a'
expect_err bad-addr "'nowhere' is neither an address nor a name" -- -e 'peek nowhere'

# The per-CPU object arrays in front of SLUB: frees wait there; slab_tune sizes or removes them.
expect_ok slab-array "kmalloc-64: limit 120 batchcount 60; objects in the arrays: cpu0 2" -- --cpus 1 -e 'kmalloc a 64; kmalloc b 64; kfree a; kfree b; slab_tune kmalloc-64'
expect_ok slab-array-off "kmalloc-64: limit 0 batchcount 0; objects in the arrays: cpu0 0" -- --cpus 1 -e 'kmalloc a 64; slab_tune all off; kfree a; slab_tune kmalloc-64'
expect_ok slab-array-debug "(off: slub_debug)" -- -e 'kmem_cache_create c 100; slub_debug on c; slab_tune c'
expect_err slab-tune-batch "batchcount '10' is not 1..9" -- -e 'slab_tune kmalloc-64 9 10'
expect_err slab-tune-limit "limit 'many' is not 0..4096" -- -e 'slab_tune kmalloc-64 many'

# The interface issue's checks, as a user types them.
expect_ok kshow-peek ", kmalloc-64, ksize 64" -- -e 'kmalloc x 40; kshow x; peek x'
expect_ok kmalloc-decimal "x: ksize 16" -- -e 'kmalloc x 010; ksize x'
out=$(echo 'cat /proc/buddyinfo' | "$MMSIM" 2>&1)
grep -q "^Node 0, zone      DMA" <<<"$out" && ok || fail "piped stdin: $out"
out=$(printf 'echo one\nfrob\necho two\n' | "$MMSIM" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "^<stdin>:2: unknown command 'frob'" <<<"$out" && ! grep -q two <<<"$out" && ok || fail "piped stdin stops at the error (rc $rc): $out"
out=$(printf 'echo one\nfrob\necho two\n' | "$MMSIM" shell 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q two <<<"$out" && ok || fail "the shell goes on after an error (rc $rc): $out"
expect_ok free-m "Mem:" -- -e 'free -m'
expect_ok free-h "Swap:             0B          0B          0B" -- -e 'free -h'
expect_ok vmstat " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st" -- -e vmstat
expect_ok vmstat-s "CPU context switches" -- -e 'vmstat -s'
expect_ok slabtop "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME" -- -e 'slabtop --once -s c'
expect_ok sysctl-a "vm.lowmem_reserve_ratio = 256	32	0	0" -- -e 'sysctl -a'
expect_ok help "Allocating pages:" -- -e help
expect_ok help-kmalloc "usage: kmalloc VAR SIZE [GFP]" -- -e 'help kmalloc'
expect_ok version "mmsim 0." -- --version
expect_ok list-commands "alloc_pages" -- --list-commands
expect_ok man ".SH COMMANDS" -- --man
expect_ok dmesg-tail "Write protecting kernel text" -- -e 'dmesg | tail -n 1'
expect_ok dmesg-level "LOWMEM available" -- -e 'dmesg --level=notice'
expect_ok dmesg-clear "after the mark" -- -e 'dmesg -C; echo after the mark > /dev/kmsg; dmesg'
expect_ok cat-two "Node 0, zone      DMA" -- -e 'cat /proc/buddyinfo /proc/sys/vm/min_free_kbytes'
expect_ok echo-sysctl "vm.min_free_kbytes = 9000" -- -e 'echo 9000 > /proc/sys/vm/min_free_kbytes; sysctl vm.min_free_kbytes'
expect_ok quoted-sysctl "vm.lowmem_reserve_ratio = 128 16 0 0" -- -e 'sysctl -w vm.lowmem_reserve_ratio="128 16 0 0"'
expect_ok cmdline "Kernel command line: mem=512M foo=bar" -- --cmdline 'mem=512M foo=bar' -e dmesg
expect_ok cmdline-unknown 'Unknown kernel command line parameters "foo=bar", will be passed to user space.' -- --cmdline 'mem=512M foo=bar' -e dmesg
expect_ok cmdline-mem "  HighMem  empty" -- --cmdline 'mem=512M' -e dmesg
expect_ok cmdline-vmalloc "VmallocTotal:     262144 kB" -- --cmdline 'vmalloc=256M' -e 'cat /proc/meminfo'
expect_ok norandmaps "0" -- --cmdline norandmaps -e 'cat /proc/sys/kernel/randomize_va_space'
expect_err cmdline-unmodelled "'hugepages=4' changes memory management in a way mmsim does not model yet" -- --cmdline hugepages=4 -e dmesg
expect_err cmdline-vmalloc0 "vmalloc=0 leaves no vmalloc space" -- --cmdline vmalloc=0 -e dmesg
# A reserve past the space wraps the kernel's 32-bit MAXMEM: all RAM is lowmem, which a small machine survives.
expect_ok cmdline-vmalloc-wrap "VmallocTotal:     757880 kB" -- --mem 256M --cmdline vmalloc=1000M -e 'cat /proc/meminfo'
expect_err cmdline-vmalloc-huge "VMALLOC_START >= VMALLOC_END" -- --cmdline vmalloc=1000M -e dmesg
out=$("$MMSIM" -e 'echo a; exit 3; echo b'); rc=$?
[ $rc -eq 3 ] && [ "$out" = a ] && ok || fail "exit 3: rc $rc, output '$out'"
expect_err half-line "-e:1: cat: /proc/nope: No such file or directory" -- -e 'cat /proc/sys/vm/min_free_kbytes /proc/nope'
[ "$(tail -c1 "$tmp/out" | od -An -c | tr -d ' ')" = '\n' ] && ok || fail "output before an error ends in a whole line"
expect_err pipe-into-command "kmalloc does not read its input" -- -e 'dmesg | kmalloc x 8'
expect_err quote-open "-e:1: unterminated ' quote" -- -e "echo 'open"

# Devices and DMA (cmd_dma.c): the kernel's failures are output, bad input is an error.
expect_ok dma-zone "a: 8192 bytes, dma 0x100000" -- -e 'dma_device isa 24; dma_alloc_coherent a isa 8K'
expect_ok dma-overflow "DMA addr 0x" -- -e 'dma_device isa 24; kmalloc o 512; dma_map m isa o to_device 512; dmesg'
expect_ok dma-bounce "bounce 0x" -- --arch x86_64 --mem 6G -e 'dma_device nic 32; alloc_pages p GFP_KERNEL 0; dma_map m nic p to_device; dma_show'
expect_ok dma-swiotlb-debugfs "32768" -- --arch x86_64 --mem 6G -e 'cat /sys/kernel/debug/swiotlb/io_tlb_nslabs'
expect_ok dma-sg "2 elements in 1 DMA segment: 0xffffe000+8192" -- -e 'dma_device nic 32 iommu; alloc_pages a GFP_HIGHUSER 0; alloc_pages b GFP_HIGHUSER 0; dma_map_sg s nic bidirectional a b'
expect_ok dma-fault "[fault reason 0x06] PTE Read access is not set" -- -e 'dma_device nic 32 iommu; dma_read nic 0x1000; dmesg'
expect_ok dma-pool-leak "dma_pool_destroy td, " -- -e 'dma_device ehci 32; dma_pool_create td ehci 32 32; dma_pool_alloc b td; dma_pool_destroy td; dmesg'
# The sanitizer merges adjacent e820 entries of one type (e820__update_table),
# as the real kernel prints the user-defined map.
expect_ok e820-merge-adjacent "user: [mem 0x0000000000100000-0x000000000c8fffff] usable" -- --arch i386 --mem 512M --cmdline 'memmap=exactmap memmap=640K@0 memmap=100M@1M memmap=100M@101M' -e 'dmesg'
expect_ok dma-boot-pool "fb: 4096 bytes, dma 0x10000000" -- --cmdline 'memmap=64M$0x10000000' -e 'dma_device fb 32 pool 0x10000000 64M; dma_alloc_coherent fb fb 4096'
expect_ok dma-verify "verify: ok" -- -e 'dma_device d 32 iommu; alloc_pages p GFP_KERNEL 2; dma_map m d p bidirectional; dma_write d m hi; verify; dma_unmap m; verify'
expect_ok dma-remedies-pool "b: 16777216 bytes, dma 0x10000000" -- --cmdline 'memmap=64M$0x10000000' "$EX/dma-remedies.mmsim"
expect_ok dma-remedies-iommu "c: 16777216 bytes, dma 0xff000000" -- --cmdline 'memmap=64M$0x10000000' "$EX/dma-remedies.mmsim"
expect_ok dma-remedies-direct "a: dma_alloc_coherent failed (16777216 bytes)" -- --cmdline 'memmap=64M$0x10000000' "$EX/dma-remedies.mmsim"
# The contiguous-memory story (examples/contiguous-memory.mmsim): each remedy's result and cost.
# One run, every remedy's line checked (ok/fail per line, like expect_ok).
contig_out=$("$MMSIM" --config CMA=y --cmdline 'cma=64M memmap=64M$0x10000000' \
	"$EX/contiguous-memory.mmsim" 2>"$tmp/err") || fail "contiguous-memory: exit $?: $(cat "$tmp/err")"
for want in "b0: dma_alloc_coherent failed (16777216 bytes)" \
	    "b1: 16777216 bytes, dma 0x10000000" \
	    "iommu domain: 2 IOVA ranges" \
	    "reserved: base_pfn 206848 count 16384 order_per_bit 0 used 12288" \
	    "|hello-from-c....|" \
	    "r1: 4096 pages at pfn 0x3000-0x3fff (Normal), 2048 pages migrated" \
	    "r2: 4096 pages at pfn 0x3000-0x3fff (Normal), 0 pages migrated" \
	    "verify: ok"; do
	if grep -qF -- "$want" <<<"$contig_out"; then ok; else fail "contiguous-memory: no '$want' in output"; fi
done
expect_err fragment-every "fragment: EVERY must be 2 or more" -- -e 'spawn p; mmap p 0 1M rw- private,anonymous as a; fragment p a 1M 1'
expect_err fragment-align "fragment: ADDR and LEN must be page-aligned" -- -e 'spawn p; mmap p 0 1M rw- private,anonymous as a; fragment p a+1 4096'
expect_err alloc-contig-size "size: alloc_contig takes at least one page" -- -e 'alloc_contig x 0'
expect_err free-contig-failed "'x' holds nothing (its alloc_contig failed)" -- -e 'alloc_contig x 1G; free_contig x'
expect_err compact-memory-read "cat: /proc/sys/vm/compact_memory: Permission denied" -- -e 'cat /proc/sys/vm/compact_memory'
expect_err dma-no-device "'nodev' is not a device (see dma_device)" -- -e 'dma_alloc_coherent a nodev 4K'
expect_err dma-bad-bits "a DMA mask is 1 to 64 bits wide, not 0" -- -e 'dma_device d 0'
expect_err dma-bad-dir "'sideways' is not a direction" -- -e 'dma_device d 32; kmalloc o 64; dma_map m d o sideways 64'
expect_err dma-double-unmap "'m' was already freed, unmapped or destroyed" -- -e 'dma_device d 32; kmalloc o 64; dma_map m d o to_device 64; dma_unmap m; dma_unmap m'
expect_err dma-memmap-unmodelled "'memmap=1G!4G' changes memory management in a way mmsim does not model yet" -- --cmdline 'memmap=1G!4G' -e 'true'
# CMA: --config's words, and the commands with and without CONFIG_CMA.
expect_err config-unknown "--config: unknown option 'HUGETLB'" -- --config HUGETLB=y -e dmesg
expect_err config-value "--config: 'CMA' needs =y or =n, not 'm'" -- --config CMA=m -e dmesg
expect_err config-depends "DMA_CMA=y depends on" -- --config DMA_CMA=y -e dmesg
expect_ok debian-cma-unknown 'Unknown kernel command line parameters "nokaslr cma=64M", will be passed to user space.' -- --cmdline 'nokaslr cma=64M' -e dmesg
expect_ok debian-cma-reserved " 0K cma-reserved" -- --cmdline 'nokaslr cma=64M' -e dmesg
expect_err cma-not-configured "cma_alloc: this kernel is built without CONFIG_CMA" -- -e 'cma_alloc a 16'
expect_err cma-no-area "cma_alloc: no CMA area: boot with cma=SIZE" -- --config CMA=y -e 'cma_alloc a 16'
expect_ok cma-reserved "cma: Reserved 64 MiB at 0x" -- --config CMA=y --cmdline cma=64M -e dmesg
expect_ok cma-memory " 65536K cma-reserved" -- --config CMA=y --cmdline cma=64M -e dmesg
expect_ok cma-alloc "used 16 maxchunk 16368" -- --config CMA=y --cmdline cma=64M -e 'cma_alloc a 16; cma'
expect_ok cma-release "used 0 maxchunk 16384" -- --config CMA=y --cmdline cma=64M -e 'cma_alloc a 16; cma_release a; cma'
expect_ok cma-debugfs "16384" -- --config CMA=y --cmdline cma=64M -e 'cat /sys/kernel/debug/cma/reserved/count'
expect_ok cma-fail "cma: cma_alloc: reserved: alloc failed, req-size: 16384 pages, ret: -12" -- --config CMA=y --cmdline cma=64M -e 'cma_alloc a 1; cma_alloc b 16384; dmesg'
expect_err cma-count "count: 16385 is out of range (at most 16384)" -- --config CMA=y --cmdline cma=64M -e 'cma_alloc a 16385'

finish
