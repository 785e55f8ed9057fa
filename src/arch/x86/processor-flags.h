/* processor-flags.h (internal) — x86 control-register, EFER and MSR bits
 * that both CPU backends set up (Linux keeps them in
 * arch/x86/include/uapi/asm/processor-flags.h and asm/msr-index.h). */
#ifndef MMSIM_ARCH_X86_PROCESSOR_FLAGS_H
#define MMSIM_ARCH_X86_PROCESSOR_FLAGS_H

/* MSRs. */
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102

#define EFER_SCE	(1U << 0)
#define EFER_LME	(1U << 8)
#define EFER_LMA	(1U << 10)
#define EFER_NX		(1U << 11)
#define CR0_PE		(1U << 0)
#define CR0_MP		(1U << 1)
#define CR0_ET		(1U << 4)
#define CR0_NE		(1U << 5)
#define CR0_WP		(1U << 16)
#define CR0_AM		(1U << 18)
#define CR0_PG		(1U << 31)
#define CR4_PAE		(1U << 5)
#define CR4_PGE		(1U << 7)
#define CR4_OSFXSR	(1U << 9)
#define CR4_OSXMMEXCPT	(1U << 10)

/* Linux's GDT (arch/x86/include/asm/segment.h, 64-bit). */
#define __KERNEL_CS	0x10
#define __KERNEL_DS	0x18
#define __USER32_CS	0x23
/*
 * An i386 machine's program runs in compatibility mode with i386 Linux's
 * own user selectors (arch/x86/include/asm/segment.h, 32-bit): code 0x73,
 * data 0x7b, and the three TLS entries 6..8 that set_thread_area() fills
 * (0x33, 0x3b, 0x43: GDT_ENTRY_TLS_MIN_I386 in cpu_backend.h).
 */
#define I386_USER_CS		0x73
#define I386_USER_DS		0x7b

/* A GDT descriptor with base 0 and limit 4 GiB: @access (P, DPL, S, type) and @flags (G, D/B, L). */
static inline uint64_t seg_desc(uint8_t access, uint8_t flags)
{
	return 0xffffULL | (0xfULL << 48) | ((uint64_t)access << 40) | ((uint64_t)flags << 52);
}

#endif /* MMSIM_ARCH_X86_PROCESSOR_FLAGS_H */
