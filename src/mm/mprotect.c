/* mprotect.c — changing the protection of a range (mm/mprotect.c).
 *
 * mprotect() walks the VMAs of [start, end): each part gets the new
 * access bits (unless the VMA may not have them: VM_MAYREAD/WRITE/EXEC,
 * -EACCES), merging with a neighbour that now matches or splitting off
 * the part that changes; making a private mapping writable charges it to
 * the overcommit policy once (VM_ACCOUNT). Then the PTEs already there
 * change in place (change_protection): the frames and the accessed and
 * dirty bits stay, the permission bits are the VMA's new ones — except
 * that a private PTE stays read-only unless its page is exclusively this
 * process's and dirty, so copy-on-write still happens where it must.
 * A hole in the range stops the walk with -ENOMEM, the part before it
 * already changed. */
#include "arch/x86/mmu.h"
#include "kernel/sched.h"
#include "mm/internal.h"

/* _PAGE_CHG_MASK: what pte_modify() keeps from the old entry. */
static uint64_t pte_chg_mask(const struct machine *m)
{
	return pt_format(m)->addr_mask | _PAGE_PCD | _PAGE_PWT | _PAGE_SPECIAL | _PAGE_ACCESSED |
	       _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_PSE;
}

static uint64_t pte_modify(const struct machine *m, uint64_t pte, pgprot_t newprot)
{
	uint64_t mask = pte_chg_mask(m);

	return (pte & mask) | (newprot & ~mask);
}

/* can_change_pte_writable(): may this private/shared PTE become writable without a fault? */
static bool can_change_pte_writable(struct machine *m, struct vm_area_struct *vma, uint64_t addr,
				    uint64_t pte)
{
	if (!(pte & _PAGE_PRESENT) || !(pte & _PAGE_DIRTY))
		return false;
	/* Soft-dirty tracking (a VMA without VM_SOFTDIRTY) wants the write fault. */
	if (m->vm_softdirty && !(vma->vm_flags & VM_SOFTDIRTY) && !(pte & _PAGE_SOFT_DIRTY))
		return false;
	if (!(vma->vm_flags & VM_SHARED)) {
		struct page *page = vm_normal_page(m, vma, addr, pte);
		if (!page || !PageAnon(page) || !PageAnonExclusive(page))
			return false;
	}
	return true;
}

/* change_protection(): the PTEs and huge PMDs of [start, end) take @newprot. */
static void change_protection(struct machine *m, struct vm_area_struct *vma, uint64_t start,
			      uint64_t end, pgprot_t newprot, bool try_writable)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t pmd_size = pt_level_size(m, PT_PMD);
	bool changed = false;

	for (uint64_t addr = start; addr < end;) {
		uint64_t next = (addr + pmd_size) & ~(pmd_size - 1);
		if (next > end || next == 0)
			next = end;
		phys_addr_t pmd_table = user_walk(m, mm, addr, PT_PMD, false, NULL);
		uint64_t pmd = pmd_table ? pt_read(m, pmd_table, pt_index(m, addr, PT_PMD)) : 0;
		if (!(pmd & _PAGE_PRESENT)) {
			addr = pt_hole_end(m, mm, addr, end);
			continue;
		}
		if (pmd & _PAGE_PSE) {
			if (next - addr != pmd_size) {
				__split_huge_pmd(m, vma, pmd_table, pt_index(m, addr, PT_PMD),
						 addr & ~(pmd_size - 1));
				pmd = pt_read(m, pmd_table, pt_index(m, addr, PT_PMD));
			} else {
				uint64_t np = pte_modify(m, pmd, newprot) | _PAGE_PSE;
				if (m->is_32bit)
					np &= ~_PAGE_NX;
				if (np != pmd) {
					pt_write(m, pmd_table, pt_index(m, addr, PT_PMD), np);
					changed = true;
				}
				addr = next;
				continue;
			}
		}
		phys_addr_t table = pmd & pt_format(m)->addr_mask;
		for (; addr < next; addr += PAGE_SIZE) {
			unsigned int idx = pt_index(m, addr, PT_PTE);
			uint64_t pte = pt_read(m, table, idx);
			if (!pte_present(pte))
				continue;
			uint64_t np = pte_modify(m, pte, newprot);
			if (try_writable && !(np & _PAGE_RW) && (np & _PAGE_PRESENT) &&
			    can_change_pte_writable(m, vma, addr, np))
				np |= _PAGE_RW;
			if (m->is_32bit)
				np &= ~_PAGE_NX;
			if (np != pte) {
				pt_write(m, table, idx, np);
				changed = true;
			}
		}
	}
	if (changed)
		flush_tlb_mm_range(m, mm, start, end);
}

/* mprotect_fixup(): [start, end) of @vma gets @newflags; *pprev is the VMA before (or @vma). */
int mprotect_fixup(struct machine *m, struct vm_area_struct *vma, struct vm_area_struct **pprev,
		   uint64_t start, uint64_t end, unsigned long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);
	unsigned long charged = 0;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/* A private mapping that becomes writable is charged, once. */
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(m, mm, newflags, (unsigned long)nrpages) &&
		    may_expand_vm(m, mm, oldflags, (unsigned long)nrpages))
			return -MMSIM_ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			charged = (unsigned long)nrpages;
			if (security_vm_enough_memory_mm(m, mm, charged))
				return -MMSIM_ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	}
	unsigned long pgoff = vma->vm_pgoff + (unsigned long)((start - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged = vma_merge(m, mm, *pprev, start, end, newflags, vma->anon_vma,
						  vma->vm_file, pgoff);
	if (merged) {
		vma = merged;
		*pprev = merged;
	} else {
		*pprev = vma;
		if (start != vma->vm_start && (err = split_vma(m, mm, vma, start, true)))
			goto fail;
		if (end != vma->vm_end && (err = split_vma(m, mm, vma, end, false)))
			goto fail;
	}
	vma->vm_flags = newflags;
	bool try_writable = (vma->vm_flags & VM_SHARED) ? false : !!(vma->vm_flags & VM_WRITE);
	if (vma->vm_flags & VM_SHARED)
		try_writable = vma_wants_writenotify(m, vma) ? false : !!(vma->vm_flags & VM_WRITE);
	vma_set_page_prot(m, vma);
	change_protection(m, vma, start, end, vma->vm_page_prot, try_writable);
	/* mlock()ed and private, now writable: break COW now, not at the first write. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		populate_vma_page_range(m, vma, start, end);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
fail:
	vm_unacct_memory(m, charged);
	return err;
}

int do_mprotect(struct machine *m, uint64_t start, uint64_t len, unsigned long prot)
{
	struct task_struct *t = get_current(m);
	struct mm_struct *mm = t->mm;
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	const bool rier = (t->personality & READ_IMPLIES_EXEC) && (prot & PROT_READ);

	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -MMSIM_EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	if (!len)
		return 0;
	len = user_ulong(m, ALIGN_UP(len, PAGE_SIZE));
	uint64_t end = user_ulong(m, start + len);
	if (end <= start)
		return -MMSIM_ENOMEM;
	/* arch_validate_prot() (the generic one): only R, W, X and SEM. */
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -MMSIM_EINVAL;
	unsigned long reqprot = prot;
	struct vm_area_struct *vma = find_vma(mm, start);
	if (!vma)
		return -MMSIM_ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -MMSIM_ENOMEM;
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -MMSIM_EINVAL;
	} else {
		if (vma->vm_start > start)
			return -MMSIM_ENOMEM;
		if (grows & PROT_GROWSUP)
			return -MMSIM_EINVAL;	/* no VM_GROWSUP on x86 */
	}
	struct vm_area_struct *prev = start > vma->vm_start ? vma : vma->vm_prev;
	int err = 0;
	for (uint64_t nstart = start;;) {
		if (rier && (vma->vm_flags & VM_MAYEXEC))
			prot |= PROT_EXEC;
		unsigned long newflags = ((prot & PROT_READ) ? VM_READ : 0) |
					 ((prot & PROT_WRITE) ? VM_WRITE : 0) |
					 ((prot & PROT_EXEC) ? VM_EXEC : 0);
		newflags |= vma->vm_flags & ~(unsigned long)(VM_READ | VM_WRITE | VM_EXEC);
		/* newflags >> 4 shifts VM_MAY* onto the VM_* bits they allow. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			err = -MMSIM_EACCES;
			break;
		}
		uint64_t tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mprotect_fixup(m, vma, &prev, nstart, tmp, newflags);
		if (err)
			break;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			break;
		vma = find_vma(mm, prev->vm_end);
		if (!vma || vma->vm_start != nstart) {
			err = -MMSIM_ENOMEM;
			break;
		}
		prot = reqprot;
	}
	return err;
}
