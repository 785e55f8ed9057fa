/* mmdebug.h — the debug tier of assertions (include/linux/mmdebug.h):
 * VM_BUG_ON(), VM_BUG_ON_PAGE(), VM_WARN_ON() and VM_WARN_ON_ONCE() on
 * invariants in the hot paths, at the sites Linux 6.1 has them.
 *
 * MMSIM_DEBUG is a compile-time level: 0 (release) compiles every check
 * out, as a kernel without CONFIG_DEBUG_VM does — the condition is not even
 * evaluated; 1 (the sanitizer build, -DMMSIM_SANITIZE=ON, or
 * -DMMSIM_DEBUG=ON) checks them. The validators (mm_verify.c) walk whole
 * structures and are called on demand; these cost a compare each and run
 * on every call.
 *
 * A failed VM_BUG_ON must not take the host down the way BUG() takes the
 * kernel down, but neither may the run go on as if nothing happened: the
 * kernel's BUG text ("kernel BUG at mm/page_alloc.c:123!", and for
 * VM_BUG_ON_PAGE the dump_page() lines first) goes to dmesg and to stderr,
 * and the process aborts, so the test or run that hit it fails at the spot.
 * VM_WARN_ON prints WARN_ON()'s text to dmesg and goes on. */
#ifndef MMSIM_MMDEBUG_H
#define MMSIM_MMDEBUG_H

#include <stdbool.h>

struct machine;
struct page;

#ifndef MMSIM_DEBUG
#define MMSIM_DEBUG 0
#endif

/* BUG(): the kernel's text in dmesg and on stderr, then abort(). */
__attribute__((noreturn, cold)) void __vm_bug(struct machine *m, struct page *page,
					      const char *file, int line, const char *cond);

#if MMSIM_DEBUG
#define VM_BUG_ON(m, cond) do { \
	if (__builtin_expect(!!(cond), 0)) \
		__vm_bug((m), NULL, __FILE__, __LINE__, "VM_BUG_ON(" #cond ")"); \
} while (0)
#define VM_BUG_ON_PAGE(m, cond, page) do { \
	if (__builtin_expect(!!(cond), 0)) \
		__vm_bug((m), (page), __FILE__, __LINE__, "VM_BUG_ON_PAGE(" #cond ")"); \
} while (0)
#define VM_WARN_ON(m, cond) ({ \
	bool __c = !!(cond); \
	if (__builtin_expect(__c, 0)) \
		__warn((m), __FILE__, __func__, NULL); \
	__c; \
})
/* Once per call site and process: the kernel's once-flag is per boot. */
#define VM_WARN_ON_ONCE(m, cond) ({ \
	static bool __warned; \
	bool __c = !!(cond); \
	if (__builtin_expect(__c && !__warned, 0)) { \
		__warned = true; \
		__warn((m), __FILE__, __func__, NULL); \
	} \
	__c; \
})
#else
/*
 * Compiled out, but still type-checked, as BUILD_BUG_ON_INVALID does. The
 * condition sits behind `0 &&`, never evaluated yet a use of what it
 * calls: a helper only an assertion needs is not an unused function.
 */
#define VM_BUG_ON(m, cond) ((void)((void)(m), 0 && (cond)))
#define VM_BUG_ON_PAGE(m, cond, page) ((void)((void)(m), (void)(page), 0 && (cond)))
#define VM_WARN_ON(m, cond) ((void)((void)(m), 0 && (cond)))
#define VM_WARN_ON_ONCE(m, cond) ((void)((void)(m), 0 && (cond)))
#endif

#endif /* MMSIM_MMDEBUG_H */
