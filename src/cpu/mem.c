// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mem.c: the guest physical address space of one engine.  Writable
 * memory slots are the VMM's memory, mapped (not copied) with
 * uc_mem_map_ptr (read-only slots read+execute, their stores exit); every
 * hole of the IPA space is an MMIO region (engine spec K6).  An access to a hole goes to an
 * in-library device (the vGIC) or leaves KVM_RUN as KVM_EXIT_MMIO; a
 * read then waits inside Unicorn's callback for the next KVM_RUN, which
 * brings the data (spec 5.4).
 */
#include <errno.h>
#include <string.h>

#include "api/dirty_log.h"
#include "api/vm.h"
#include "common/log.h"
#include "cpu/cpu_dev.h"
#include "cpu/engine.h"

#define MEM_TOP (1ULL << VKVM_MAX_IPA_BITS)

/* The exit to the VMM for an access nobody in the library serves. */
static uint64_t mmio_exit(struct cpu_vcpu *cv, uint64_t gpa, unsigned len,
			  uint64_t val, bool is_write)
{
	struct kvm_run *run = cv->vcpu->run;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = len;
	run->mmio.is_write = is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (is_write)
		memcpy(run->mmio.data, &val, len);
	cv->in_mmio = true;
	if (!cv_exit_and_wait(cv, 0)) {
		cv->in_mmio = false;
		cv_set_exit(cv, -EINTR);
		return 0;
	}
	cv->in_mmio = false;
	dirty_after_park(cv);
	val = 0;
	if (!is_write)
		memcpy(&val, run->mmio.data, len);
	return val;
}

/*
 * Holes are widened (uc_kit_mmio_widen), so an access of 1, 2, 4 or 8
 * bytes arrives here whole, as one KVM_EXIT_MMIO of that len.  At the
 * exit the PC is that of the access instruction (uc_kit_sync_pc), as in
 * KVM; the next KVM_RUN completes the instruction and goes past it.
 */
static uint64_t hole_read(uc_engine *uc, uint64_t off, unsigned size,
			  void *opaque)
{
	struct cv_region *r = opaque;
	uint64_t val = 0;

	if (cpu_dev_access(r->cv, r->gpa + off, size, &val, false))
		return val;
	uc_kit_sync_pc(&r->cv->kit);
	return mmio_exit(r->cv, r->gpa + off, size, 0, false);
}

static void hole_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t val,
		       void *opaque)
{
	struct cv_region *r = opaque;

	if (cpu_dev_access(r->cv, r->gpa + off, size, &val, true))
		return;
	uc_kit_sync_pc(&r->cv->kit);
	mmio_exit(r->cv, r->gpa + off, size, val, true);
}

/* A device frame's own region: its id comes with the access. */
static uint64_t dev_read(uc_engine *uc, uint64_t off, unsigned size,
			 void *opaque)
{
	struct cv_region *r = opaque;
	uint64_t val = 0;

	if (cpu_dev_frame_access(r->cv, r->dev_id, off, size, &val, false))
		return val;
	uc_kit_sync_pc(&r->cv->kit);
	return mmio_exit(r->cv, r->gpa + off, size, 0, false);
}

static void dev_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t val,
		      void *opaque)
{
	struct cv_region *r = opaque;

	if (cpu_dev_frame_access(r->cv, r->dev_id, off, size, &val, true))
		return;
	uc_kit_sync_pc(&r->cv->kit);
	mmio_exit(r->cv, r->gpa + off, size, val, true);
}

/*
 * KVM_MEM_READONLY slots are mapped read+execute (guests run from flash
 * images) and a store to them is an MMIO write exit, raised from this
 * hook.  The region is read-only for QEMU too (uc_kit_ram_readonly), so
 * when the hook says "handled" the store is discarded: the slot's memory
 * never holds the stored bytes.  The PC at this exit is the translation
 * block's start (a RAM store leaves no mem_io_pc to restore from).
 */
static bool ro_write_prot(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *opaque)
{
	struct cpu_vcpu *cv = opaque;

	for (unsigned int i = 0; i < cv->nr_regions; i++) {
		const struct cv_region *r = &cv->regions[i];
		uint64_t off = addr - r->gpa;

		if (!r->ram || addr < r->gpa || off >= r->size || size <= 0 ||
		    size > 8 || off + (uint64_t)size > r->size)
			continue;
		mmio_exit(cv, addr, (unsigned int)size, (uint64_t)value, true);
		return true;
	}
	return false;
}

int mem_hooks_add(struct cpu_vcpu *cv)
{
	uc_hook h;

	return uc_hook_add(cv->uc, &h, UC_HOOK_MEM_WRITE_PROT,
			   (void *)ro_write_prot, cv, 1, 0) ?
		       -ENOTSUP :
		       0;
}

static int region_map(struct cpu_vcpu *cv, struct cv_region *r)
{
	uc_cb_mmio_read_t rd = r->dev ? dev_read : hole_read;
	uc_cb_mmio_write_t wr = r->dev ? dev_write : hole_write;
	uc_err err;

	r->cv = cv;
	if (r->ram)
		err = uc_mem_map_ptr(cv->uc, r->gpa, r->size,
				     (r->flags & KVM_MEM_READONLY) ?
					     UC_PROT_READ | UC_PROT_EXEC :
					     UC_PROT_ALL,
				     (void *)(uintptr_t)r->hva);
	else
		err = uc_mmio_map(cv->uc, r->gpa, r->size, rd, r, wr, r);
	if (!err && !r->ram &&
	    uc_kit_mmio_widen(&cv->kit, (void *)rd, (void *)wr, r))
		return -ENOTSUP;
	if (!err && (r->flags & KVM_MEM_READONLY) &&
	    uc_kit_ram_readonly(&cv->kit, r->hva, r->size))
		return -ENOTSUP;
	if (err) {
		pr_err("engine: mapping %#llx+%#llx failed: %s\n",
		       (unsigned long long)r->gpa, (unsigned long long)r->size,
		       uc_strerror(err));
		return -ENOMEM;
	}
	return 0;
}

static void mem_unmap_all(struct cpu_vcpu *cv)
{
	for (unsigned int i = 0; i < cv->nr_regions; i++) {
		dirty_region_stop(cv, &cv->regions[i]);
		uc_mem_unmap(cv->uc, cv->regions[i].gpa, cv->regions[i].size);
	}
	cv->nr_regions = 0;
}

static int add_region(struct cv_region *out, unsigned int *n,
		      struct cv_region r)
{
	if (*n >= ENGINE_MAX_REGIONS)
		return -E2BIG;
	out[(*n)++] = r;
	return 0;
}

/* Append the hole [@from, @to) if it is not empty, as regions of its own
 * where the device frames @devs (sorted) lie in it. */
static int add_hole(struct cv_region *out, unsigned int *n, uint64_t from,
		    uint64_t to, const struct cpu_dev_frame *devs,
		    unsigned int ndevs)
{
	int ret = 0;

	for (unsigned int i = 0; i < ndevs && !ret && from < to; i++) {
		uint64_t b = devs[i].base, e = b + devs[i].size;

		if (e <= from || b >= to || b < from)
			continue; /* outside, or straddling RAM: not mapped */
		if (e > to)
			continue;
		if (b > from)
			ret = add_region(
				out, n,
				(struct cv_region){ .gpa = from,
						    .size = b - from });
		if (!ret)
			ret = add_region(
				out, n,
				(struct cv_region){ .gpa = b,
						    .size = e - b,
						    .dev = true,
						    .dev_id = devs[i].id });
		from = e;
	}
	if (ret || from >= to)
		return ret;
	return add_region(out, n,
			  (struct cv_region){ .gpa = from, .size = to - from });
}

/* The wanted layout: slots (sorted by gpa) with the holes between, each
 * logged slot's dirty log referenced, the device frames @devs carved out
 * of the holes. */
static int mem_layout(struct vm *vm, struct cv_region *out, unsigned int *n,
		      const struct cpu_dev_frame *devs, unsigned int ndevs)
{
	uint64_t at = 0;
	int ret = 0;

	*n = 0;
	for (unsigned int i = 0; i < vm->nr_slots && !ret; i++) {
		const struct memslot *s = &vm->slots[i];

		if (!s->size || s->gpa + s->size > MEM_TOP)
			continue;
		ret = add_hole(out, n, at, s->gpa, devs, ndevs);
		if (ret)
			break;
		if (*n >= ENGINE_MAX_REGIONS)
			return -E2BIG;
		out[(*n)++] =
			(struct cv_region){ .gpa = s->gpa,
					    .size = s->size,
					    .hva = s->hva,
					    .flags = s->flags,
					    .ram = true,
					    .dirty = dirty_log_get(s->dirty) };
		at = s->gpa + s->size;
	}
	return ret ? ret : add_hole(out, n, at, MEM_TOP, devs, ndevs);
}

static bool layout_same(const struct cv_region *a, unsigned int na,
			const struct cv_region *b, unsigned int nb)
{
	if (na != nb)
		return false;
	for (unsigned int i = 0; i < na; i++)
		if (a[i].gpa != b[i].gpa || a[i].size != b[i].size ||
		    a[i].hva != b[i].hva ||
		    ((a[i].flags ^ b[i].flags) & ~KVM_MEM_LOG_DIRTY_PAGES) ||
		    a[i].ram != b[i].ram || a[i].dev != b[i].dev ||
		    a[i].dev_id != b[i].dev_id)
			return false;
	return true;
}

int mem_sync(struct cpu_vcpu *cv)
{
	struct vm *vm = cv->vcpu->vm;
	struct cv_region want[ENGINE_MAX_REGIONS];
	struct cpu_dev_frame devs[CPU_DEV_MAX_FRAMES];
	unsigned int n, gen, ndevs;
	bool flush;
	int ret;

	ndevs = cpu_dev_frames(vm, devs, CPU_DEV_MAX_FRAMES);
	pthread_mutex_lock(&vm->slots_lock);
	ret = mem_layout(vm, want, &n, devs, ndevs);
	if (ret == -E2BIG && ndevs) {
		/* The frames' own regions do not fit: the holes serve them. */
		dirty_regions_put(want, n);
		ret = mem_layout(vm, want, &n, NULL, 0);
	}
	gen = atomic_load(&vm->dirty_gen);
	pthread_mutex_unlock(&vm->slots_lock);
	if (ret) {
		dirty_regions_put(want, n);
		pr_err("engine: too many memory slots for the engine\n");
		return ret;
	}
	/* Same mapping (dirty logging aside): never unmap, since unmapping
	 * a hole flushes the TLB page by page. */
	if (cv->nr_regions &&
	    layout_same(cv->regions, cv->nr_regions, want, n)) {
		ret = dirty_resync(cv, want, n);
		cv->dirty_gen_seen = gen;
		dirty_mark_pending(cv);
		return ret;
	}
	/* A remap may put other memory under translated code. */
	flush = cv->nr_regions != 0;
	mem_unmap_all(cv);
	memcpy(cv->regions, want, n * sizeof(want[0]));
	cv->dirty_gen_seen = gen;
	for (unsigned int i = 0; i < n; i++) {
		ret = region_map(cv, &cv->regions[i]);
		if (ret) {
			dirty_regions_put(cv->regions + i, n - i);
			return ret;
		}
		cv->nr_regions = i + 1;
		ret = dirty_region_start(cv, &cv->regions[i]);
		if (ret) {
			dirty_regions_put(cv->regions + i + 1, n - i - 1);
			return ret;
		}
	}
	dirty_mark_pending(cv);
	/* Always the TLB: Unicorn's init mapping at 0 (uc_kit_open) may have
	 * left an entry for page 0. */
	uc_ctl_flush_tlb(cv->uc);
	if (flush)
		uc_ctl_flush_tb(cv->uc);
	return 0;
}
