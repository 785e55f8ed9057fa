/* msync.c — writing a shared file mapping back (mm/msync.c).
 *
 * MS_SYNC writes the dirty page-cache pages of each shared file mapping in
 * the range back (fsync of that file range) — which also write-protects
 * their PTEs again, so the next write faults and dirties the page anew;
 * MS_ASYNC does nothing but check (the kernel's writeback runs anyway);
 * MS_INVALIDATE is refused on locked mappings. Unmapped parts of the
 * range give -ENOMEM after the rest is done. */
#include "fs/fs.h"
#include "kernel/sched.h"
#include "mm/internal.h"

int sys_msync(struct machine *m, uint64_t start, uint64_t len, int flags)
{
	struct mm_struct *mm = get_current(m)->mm;
	int unmapped_error = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -MMSIM_EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -MMSIM_EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -MMSIM_EINVAL;
	len = user_ulong(m, ALIGN_UP(len, PAGE_SIZE));
	uint64_t end = user_ulong(m, start + len);
	if (end < start)
		return -MMSIM_ENOMEM;
	if (end == start)
		return 0;
	struct vm_area_struct *vma = find_vma(mm, start);
	for (;;) {
		if (!vma)
			return -MMSIM_ENOMEM;
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				return -MMSIM_ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				return -MMSIM_ENOMEM;
			unmapped_error = -MMSIM_ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -MMSIM_EBUSY;
		struct file *file = vma->vm_file;
		uint64_t fstart = (start - vma->vm_start) + ((uint64_t)vma->vm_pgoff << PAGE_SHIFT);
		uint64_t fend = fstart + ((end < vma->vm_end ? end : vma->vm_end) - start) - 1;
		start = vma->vm_end;
		if ((flags & MS_SYNC) && file && (vma->vm_flags & VM_SHARED)) {
			int err = filemap_write_and_wait_range(m, file->f_mapping, fstart, fend);
			if (err || start >= end)
				return err ? err : unmapped_error;
			vma = find_vma(mm, start);
		} else {
			if (start >= end)
				return unmapped_error;
			vma = find_vma(mm, vma->vm_end);
		}
	}
}
