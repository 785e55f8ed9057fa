#!/usr/bin/env bash
# robustness_test.sh — inputs that once crashed mmsim, hung it or were taken
# with a wrapped value, each now a regression: one error line and exit 2,
# or the kernel's own behaviour with `verify` passing. Run against both
# the release and the sanitizer build (ctest runs it in each).
# Usage: robustness_test.sh PATH/TO/mmsim
set -u
MMSIM=${1:?usage: robustness_test.sh PATH/TO/mmsim}
NAME=robustness
. "$(dirname "$0")/expect.sh"

# ---- kernel placement: no wrapped image, no corrupt free lists ----
expect_err kernel-at-wraps "would run past the top of the physical address space" -- --kernel-at 0xffffffffffe00000 -e verify
expect_err kernel-at-wraps-64 "would run past the top of the physical address space" -- --arch x86_64 --kernel-at 0xffffffffffe00000 -e verify
expect_err kernel-at-beyond-ram "must lie in RAM" -- --arch x86_64 --mem 4G --kernel-at 0x1000000000 -e verify
expect_err kernel-at-initrd "would overlap the kernel image" -- --mem 512M --kernel-at 0x1e000000 --initrd 32M -e verify
# An image in the range deferred struct page init frees later: the SMP
# alternatives it frees early are not freed a second time.
expect_out kernel-at-deferred-2G "verify: ok" -- --arch x86_64 --mem 2G --kernel-at 0x40000000 -e verify
expect_out kernel-at-deferred-512M "verify: ok" -- --arch x86_64 --mem 512M --kernel-at 0x10000000 -e verify
expect_out kernel-at-8G "verify: ok" -- --arch x86_64 --mem 8G --kernel-at 0x200000000 -e verify
expect_out kernel-at-i386 "verify: ok" -- --mem 512M --kernel-at 0x1e000000 -e verify
# Deferred or not, the kernel's image is neither free nor counted twice.
expect_out kernel-at-memory-line "verify: ok" -- --arch x86_64 --mem 512M --kernel-at 0x10000000 \
	-e 'repeat 60000 alloc_pages p$i GFP_KERNEL|__GFP_NOWARN 0; verify'

# ---- the freed text/rodata gap is writable before it is handed out ----
expect_out text-rodata-gap-writable "-> phys 0x1e0e000" -- --arch x86_64 --mem 512M -e 'translate 0xffff888001e0e000 write'
# The gap is freed last, onto the movable lists: the first 3000 movable pages include all of it.
# poke writes through the MMU, as kernel code does; a read-only page would fault.
expect_out text-rodata-gap-allocated "poked 3000" -- --arch x86_64 --mem 512M \
	-e 'repeat 3000 alloc_pages p$i GFP_HIGHUSER_MOVABLE 0; repeat 3000 poke p$i Z; echo poked 3000; verify'
if grep -q "page fault" "$tmp/out"; then fail "text-rodata-gap-allocated: $(grep -m1 "page fault" "$tmp/out")"; fi

# ---- page tables that point outside RAM: the walk faults, mmsim does not ----
# pgd[769] of the i386 64M direct map (0xc0400000) becomes "cccc": a table at 0x63636000, past RAM.
corrupt='poke 0xc1e72c04 cccc'
expect_out pt-walk-outside "outside RAM" -- --mem 64M -e "$corrupt; walk 0xc0400000"
expect_out pt-translate-outside "page fault, error_code 0x0" -- --mem 64M -e "$corrupt; translate 0xc0400000"
expect_out pt-peek-outside "page fault at 0xc0400000" -- --mem 64M -e "$corrupt; peek 0xc0400000 4"
expect_out pt-set-pte-outside "page fault at 0xc0401000" -- --mem 64M -e "$corrupt; set_pte 0xc0401000 1; peek 0xc0401000 4"
expect_out pt-verify-outside "page table at 0x63636000 is not in RAM" -- --mem 64M -e "$corrupt; verify"

# ---- the kernel's own caches stay the kernel's ----
expect_err destroy-kmalloc "one of the kernel's own caches" -- -e 'kmem_cache_destroy kmalloc-64; kmalloc x 64'
expect_err destroy-boot-cache "one of the kernel's own caches" -- -e 'kmem_cache_destroy vm_area_struct'
expect_out destroy-own-cache "verify: ok" -- -e 'kmem_cache_create c 64; kmem_cache_alloc o c; kmem_cache_free o; kmem_cache_destroy c; verify'

# ---- addresses and sizes that would wrap ----
expect_err vmap-wraps "go past the end of memory" -- -e 'vmap m 0xfffffffffffff000 0x1000'
expect_err kmalloc-size-wraps "is not a size" -- -e 'kmalloc x 0x40000000000000K'
expect_err kmalloc-rebind "already names" -- -e 'kmalloc x 64; kmalloc x 64'

# ---- runaway scenarios end in seconds, with one line ----
expect_err nested-repeat "budget of 10000000 steps" -- -e 'repeat 100000000 repeat 100000000 echo x'
expect_err max-steps "budget of 5 steps" -- --max-steps 5 -e 'repeat 10 echo'
printf 'task t {\nrepeat 1000000 repeat 1000000 echo\n}\nrun\n' >"$tmp/task.mmsim"
expect_err task-repeat "budget of 10000000 steps" -- "$tmp/task.mmsim"
expect_err names-or-memory "" -- --host-mem-limit 64M -e 'repeat 100000000 kmalloc x$i 8'
expect_err host-mem-limit "past its limit of 64 MiB" -- --host-mem-limit 64M -e 'repeat 10000000 kmalloc x$i 8'
expect_err max-steps-zero "not a step count" -- --max-steps 0 -e echo
expect_err host-mem-limit-bad "not a size from 1M to 1T" -- --host-mem-limit 2T -e echo

# ---- a huge sparse VMA costs what its page tables cost ----
# 100 TiB mapped with a few pages touched: every range walk (unmap at exit,
# fork's copy, mprotect, madvise, mlock, munlock, msync, swapoff's) skips a
# missing PGD or PUD entry whole, as the kernel's walkers do. Stepping per
# PMD or per page took 2 s to minutes (mlock: 97 s), and a fuzz timeout.
huge_sparse='spawn p
mmap p 0 100T rw private,anonymous,noreserve as a
touch p a 8K write
touch p a+50T 8K write
fork p c
touch c a 4K write
madvise p a 100T MADV_COLD
madvise c a 100T MADV_FREE
mprotect p a 100T r--
mlock c a 100T MLOCK_ONFAULT
munlock c a 100T
msync p a 100T MS_SYNC
mremap c a 100T 50T
verify
_exit c
_exit p
verify'
EXPECT_TIMEOUT=20 expect_out huge-sparse-vma "verify: ok" -- --arch x86_64 --mem 256M -e "$huge_sparse"
# ps's list parser ends at its last item (UBSan: a pointer past NULL; fuzz_scenario).
expect_out ps-list-last-item "COMMAND" -- -e 'ps le1 a'

# ---- memory maps bounded as --mem is ----
printf '0x0-0x9fbff usable\n0x100000-0x3fffffffffff usable\n' >"$tmp/huge.e820"
expect_err e820-64T "mmsim builds machines of at most 1048576 MiB" -- --arch x86_64 --e820 "$tmp/huge.e820" -e verify
printf '0x0-0x9fbff usable\n0x100000-0x3fffffff usable\n0x3fffffff0000-0x3fffffffffff usable\n' >"$tmp/far.e820"
expect_err e820-far "with RAM ending by" -- --arch x86_64 --e820 "$tmp/far.e820" -e verify
expect_err memmap-60T "mmsim builds machines of at most" -- --arch x86_64 --cmdline 'memmap=60T@0x100000000' -e verify
expect_err memmap-wraps "a range wraps past the top of the address space" -- --cmdline 'memmap=64M@0xfffffffffc000000' -e verify
printf '0x0-0x9fbff usable\n0x100000-0x3fffffff usable\n0x20000000-0x2fffffff reserved\n' >"$tmp/overlap.e820"
expect_err e820-overlap "mmsim: $tmp/overlap.e820:3: e820 entries overlap: [mem 0x0000000020000000-0x000000002fffffff] and line 2's [mem 0x0000000000100000-0x000000003fffffff]" -- --e820 "$tmp/overlap.e820" -e verify

# ---- the lexer: nothing dropped, nothing repeated at length ----
printf 'echo a\rb\necho c\n' >"$tmp/cr.mmsim"
expect_out bare-cr "c" -- "$tmp/cr.mmsim"
if [ "$(tr '\r' ' ' <"$tmp/out" | head -1)" != "a b" ]; then fail "bare-cr: the rest of the line was dropped: $(od -c "$tmp/out" | head -2)"; fi
expect_err brace-junk "nothing may follow the } that closes a task body" -- -e 'task t {
echo a
} junk'
head -c 1048576 /dev/zero | tr '\0' 9 | sed 's/^/kmalloc x /' >"$tmp/long.mmsim"
expect_err long-token "" -- "$tmp/long.mmsim"
if [ "$(wc -c <"$tmp/err")" -gt 600 ]; then fail "long-token: a $(wc -c <"$tmp/err")-byte error line"; fi
expect_out kmalloc-g-suffix "x: allocation failed (kmalloc)" -- -e 'kmalloc x 1G'

# ---- options named as given ----
expect_err short-cluster "unknown option '-x'" -- -xyz
expect_err long-missing "--mem needs an argument" -- --mem
expect_err short-missing "-e needs an argument" -- -e

finish
