// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate_precopy.c: pre-copy rounds of a live migration, driven by the
 * dirty log (KVM_MEM_LOG_DIRTY_PAGES + KVM_GET_DIRTY_LOG), and the
 * destination's RAM images they fill (docs/snapshot-format.md,
 * "Pre-copy").
 *
 * Source: start logging on every RAM slot, send a PLAN frame (the RAM
 * regions) and every page while the guest runs, then rounds of the pages
 * dirtied meanwhile until few remain; the caller then pauses the vCPUs,
 * and the last dirty pages go out before the (RAM-less) snapshot.  A
 * page copied while the guest writes it may be torn: it is dirty, so a
 * later round sends it again.  PAGES frame payload: records of u64 guest
 * physical address, u32 length (4096), u32 kind (0: the bytes follow,
 * 1: all zero).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <vkvm/vkvm.h>

#include "migrate.h"
#include "vm_state.h"

#define PAGE 4096ULL
#define REC_HDR 16U
#define REC_DATA 0U
#define REC_ZERO 1U
#define PLAN_MAX_REGION (1ULL << 40)

int64_t mig_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static bool page_zero(const uint8_t *p)
{
	static const uint8_t zero[PAGE];

	return !memcmp(p, zero, PAGE);
}

static uint64_t region_pages(const struct mig_precopy *pc, uint32_t i)
{
	return pc->vm->m->ram[i].size / PAGE;
}

/* --- source ---------------------------------------------------------------- */

static int set_logging(const struct vmm_state_vm *vm, uint32_t i, bool on)
{
	const struct snap_ram_desc *d = &vm->m->ram[i];
	struct kvm_userspace_memory_region mr = {
		.slot = d->slot,
		.flags = d->flags | (on ? KVM_MEM_LOG_DIRTY_PAGES : 0),
		.guest_phys_addr = d->gpa,
		.memory_size = d->size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->ram[i],
	};

	return vkvm_ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0 ?
		       -errno :
		       0;
}

static int pc_flush(struct mig_precopy *pc)
{
	int ret = 0;

	if (pc->fill)
		ret = mig_send_frame(pc->out, MIG_FLAG_PAGES, pc->frame,
				     pc->fill);
	pc->fill = 0;
	return ret;
}

/* Append page @page of region @i as a record (a frame when full). */
static int pc_send_page(struct mig_precopy *pc, uint32_t i, uint64_t page)
{
	const uint8_t *src = pc->vm->ram[i] + page * PAGE;
	bool zero = page_zero(src);
	uint8_t *r;
	int ret;

	if (pc->fill + REC_HDR + PAGE > MIG_FRAME_MAX) {
		ret = pc_flush(pc);
		if (ret)
			return ret;
	}
	r = pc->frame + pc->fill;
	put64(r, pc->vm->m->ram[i].gpa + page * PAGE);
	put32(r + 8, (uint32_t)PAGE);
	put32(r + 12, zero ? REC_ZERO : REC_DATA);
	if (!zero)
		memcpy(r + REC_HDR, src, PAGE);
	pc->fill += REC_HDR + (zero ? 0 : PAGE);
	pc->st.pages_sent++;
	return 0;
}

/* Send and forget the pages marked in the dirty bitmaps. */
static int pc_send_dirty(struct mig_precopy *pc)
{
	int ret = 0;

	for (uint32_t i = 0; !ret && i < pc->vm->m->nr_ram; i++) {
		uint64_t *bm = pc->dirty[i];

		for (uint64_t w = 0;
		     !ret && w < (region_pages(pc, i) + 63) / 64; w++) {
			while (!ret && bm[w]) {
				unsigned int b =
					(unsigned int)__builtin_ctzll(bm[w]);

				bm[w] &= bm[w] - 1;
				ret = pc_send_page(pc, i, w * 64 + b);
			}
		}
	}
	return ret ? ret : pc_flush(pc);
}

/* OR the dirty log of every region into pc->dirty; *@count: pages set. */
static int pc_collect(struct mig_precopy *pc, uint64_t *count,
		      struct vmm_err *err)
{
	*count = 0;
	for (uint32_t i = 0; i < pc->vm->m->nr_ram; i++) {
		uint64_t words = (region_pages(pc, i) + 63) / 64;
		uint64_t *tmp = calloc(words, 8);
		struct kvm_dirty_log log = { .slot = pc->vm->m->ram[i].slot,
					     .dirty_bitmap = tmp };
		int e = 0;

		if (!tmp)
			return vmm_errf(err, ENOMEM, "out of memory");
		if (vkvm_ioctl(pc->vm->vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
			e = errno;
		for (uint64_t w = 0; !e && w < words; w++) {
			pc->dirty[i][w] |= tmp[w];
			*count +=
				(uint64_t)__builtin_popcountll(pc->dirty[i][w]);
		}
		free(tmp);
		if (e)
			return vmm_errf(err, e, "KVM_GET_DIRTY_LOG: %s",
					strerror(e));
	}
	return 0;
}

static int pc_send_plan(struct mig_precopy *pc)
{
	const struct snap_machine *m = pc->vm->m;
	uint8_t *p = pc->frame;

	put32(p, m->nr_ram);
	for (uint32_t i = 0; i < m->nr_ram; i++) {
		put64(p + 4 + 16 * i, m->ram[i].gpa);
		put64(p + 12 + 16 * i, m->ram[i].size);
	}
	return mig_send_frame(pc->out, MIG_FLAG_PLAN, p, 4 + 16 * m->nr_ram);
}

static int pc_init(struct mig_precopy *pc, const struct vmm_state_vm *vm,
		   struct mig_out *out, struct vmm_err *err)
{
	memset(pc, 0, sizeof(*pc));
	pc->vm = vm;
	pc->out = out;
	pc->st.start_ns = mig_now_ns();
	pc->frame = malloc(MIG_FRAME_MAX);
	for (uint32_t i = 0; pc->frame && i < vm->m->nr_ram; i++) {
		pc->dirty[i] = calloc((region_pages(pc, i) + 63) / 64, 8);
		if (!pc->dirty[i])
			return vmm_errf(err, ENOMEM, "out of memory");
	}
	if (!pc->frame)
		return vmm_errf(err, ENOMEM, "out of memory");
	for (uint32_t i = 0; i < vm->m->nr_ram; i++) {
		int ret = set_logging(vm, i, true);

		pc->logging = true;
		if (ret)
			return vmm_errf(err, -ret, "starting the dirty log: %s",
					strerror(-ret));
	}
	return 0;
}

int mig_precopy_start(struct mig_precopy *pc, const struct vmm_state_vm *vm,
		      struct mig_out *out, struct vmm_err *err)
{
	uint64_t left = 0;
	int ret = pc_init(pc, vm, out, err);

	if (!ret && (ret = pc_send_plan(pc)))
		return vmm_errf(err, -ret, "send: %s", strerror(-ret));
	/* Round 0: everything, while the guest runs. */
	for (uint32_t i = 0; !ret && i < vm->m->nr_ram; i++)
		for (uint64_t p = 0; !ret && p < region_pages(pc, i); p++)
			ret = pc_send_page(pc, i, p);
	for (unsigned int r = 1, flat = 0; !ret && r <= MIG_PRECOPY_MAX_ROUNDS;
	     r++) {
		uint64_t before = left;

		if ((ret = pc_flush(pc)))
			break;
		ret = pc_collect(pc, &left, err);
		if (ret)
			return ret;
		pc->st.rounds = r;
		/* Few left, or the guest dirties as fast as we send. */
		flat = r > 1 && left >= before ? flat + 1 : 0;
		if (left <= MIG_PRECOPY_STOP_PAGES ||
		    flat >= MIG_PRECOPY_FLAT_ROUNDS)
			break;
		ret = pc_send_dirty(pc);
	}
	if (ret)
		return vmm_errf(err, -ret, "send: %s", strerror(-ret));
	return 0;
}

int mig_precopy_finish(struct mig_precopy *pc, struct vmm_err *err)
{
	int ret;

	pc->st.pause_ns = mig_now_ns();
	ret = pc_collect(pc, &pc->st.last_pages, err);
	if (ret)
		return ret;
	ret = pc_send_dirty(pc);
	return ret ? vmm_errf(err, -ret, "send: %s", strerror(-ret)) : 0;
}

void mig_precopy_end(struct mig_precopy *pc)
{
	for (uint32_t i = 0; pc->vm && i < pc->vm->m->nr_ram; i++) {
		if (pc->logging)
			set_logging(pc->vm, i, false);
		free(pc->dirty[i]);
		pc->dirty[i] = NULL;
	}
	pc->logging = false;
	free(pc->frame);
	pc->frame = NULL;
}

/* --- destination ------------------------------------------------------------ */

static int image_plan(struct mig_image *img, const uint8_t *p, size_t len,
		      struct vmm_err *err)
{
	uint32_t n = len >= 4 ? vmm_le32(p) : 0;

	if (img->nr)
		return vmm_errf(err, EPROTO, "pre-copy: a second PLAN frame");
	if (!n || n > SNAP_MAX_RAM || len != 4 + 16 * (size_t)n)
		return vmm_errf(err, EPROTO, "pre-copy: bad PLAN frame");
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gpa = vmm_le64(p + 4 + 16 * i);
		uint64_t size = vmm_le64(p + 12 + 16 * i);

		if ((gpa | size) & (PAGE - 1) || !size ||
		    size > PLAN_MAX_REGION || gpa + size < gpa)
			return vmm_errf(err, EPROTO,
					"pre-copy: bad PLAN region %u", i);
		img->host[i] = mmap(NULL, size, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				    -1, 0);
		if (img->host[i] == MAP_FAILED) {
			img->host[i] = NULL;
			return vmm_errf(err, ENOMEM, "pre-copy: out of memory");
		}
		img->gpa[i] = gpa;
		img->size[i] = size;
		img->nr = i + 1;
	}
	return 0;
}

/* The image bytes for [gpa, gpa + len), or NULL if outside the PLAN. */
static uint8_t *image_at(struct mig_image *img, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < img->nr; i++)
		if (gpa >= img->gpa[i] && len <= img->size[i] &&
		    gpa - img->gpa[i] <= img->size[i] - len)
			return img->host[i] + (gpa - img->gpa[i]);
	return NULL;
}

static int image_pages(struct mig_image *img, const uint8_t *p, size_t len,
		       struct vmm_err *err)
{
	if (!img->nr)
		return vmm_errf(err, EPROTO, "pre-copy: PAGES before the PLAN");
	while (len) {
		uint64_t gpa = len >= REC_HDR ? vmm_le64(p) : 0;
		uint32_t rlen = len >= REC_HDR ? vmm_le32(p + 8) : 0;
		uint32_t kind = len >= REC_HDR ? vmm_le32(p + 12) : 2;
		size_t need = REC_HDR + (kind == REC_DATA ? rlen : 0);
		uint8_t *dst = image_at(img, gpa, rlen);

		if (kind > REC_ZERO || need > len || rlen != PAGE)
			return vmm_errf(err, EPROTO,
					"pre-copy: a cut or bad page record");
		if (!dst)
			return vmm_errf(err, EPROTO,
					"pre-copy: page 0x%llx outside the "
					"PLAN",
					(unsigned long long)gpa);
		if (kind == REC_DATA)
			memcpy(dst, p + REC_HDR, rlen);
		else
			memset(dst, 0, rlen);
		img->pages++;
		p += need;
		len -= need;
	}
	return 0;
}

int mig_image_frame(void *opaque, uint32_t flags, const uint8_t *p, size_t len,
		    struct vmm_err *err)
{
	struct mig_image *img = opaque;

	if (flags & MIG_FLAG_PLAN)
		return image_plan(img, p, len, err);
	return image_pages(img, p, len, err);
}

void mig_image_free(struct mig_image *img)
{
	for (uint32_t i = 0; i < img->nr; i++)
		if (img->host[i])
			munmap(img->host[i], img->size[i]);
	img->nr = 0;
}

int mig_image_install(struct mig_image *img, const struct snap_machine *m,
		      uint8_t *const *ram, struct vmm_err *err)
{
	if (!img->nr)
		return 0;
	if (img->nr != m->nr_ram)
		return vmm_errf(err, EPROTO,
				"pre-copy: the PLAN has %u RAM regions, the "
				"machine %u",
				img->nr, m->nr_ram);
	for (uint32_t i = 0; i < m->nr_ram; i++)
		if (img->gpa[i] != m->ram[i].gpa ||
		    img->size[i] != m->ram[i].size)
			return vmm_errf(err, EPROTO,
					"pre-copy: PLAN region %u differs "
					"from the machine's",
					i);
	/* Move the images' pages over the machine's RAM mappings (same
	 * addresses, so the memslots stay valid; no vCPU has run): no copy
	 * and no page faults inside the downtime.  A copy if that fails. */
	for (uint32_t i = 0; i < m->nr_ram; i++) {
		if (mremap(img->host[i], img->size[i], img->size[i],
			   MREMAP_MAYMOVE | MREMAP_FIXED,
			   ram[i]) == MAP_FAILED) {
			memcpy(ram[i], img->host[i], img->size[i]);
			continue;
		}
		img->host[i] = NULL;
	}
	return 0;
}
