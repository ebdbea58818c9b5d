// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm_state.c: save a paused VM through the public API (KVM_GET_REG_LIST +
 * KVM_GET_ONE_REG, KVM_GET_MP_STATE, the vGIC attributes, memslot memory)
 * and restore it onto a fresh VM in Linux VMMs' order: vCPUs and
 * VCPU_INIT, memslots, vGIC create + addresses + NR_IRQS + CTRL_INIT,
 * then memory, ONE_REG values (ID registers while the VM has not run),
 * the vGIC registers (kvm-arm-api.md 8.2/8.4) and MP_STATE last.
 *
 * ID_AA64PFR0_EL1.GIC may only show a GICv3 once the VM has one, so the
 * ONE_REG values go in after the vGIC is created (QEMU's order too).
 */
#include "vm_state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <vkvm/vkvm.h>

static int ioctl_err(struct vmm_err *err, const char *what, uint32_t vcpu,
		     uint64_t id)
{
	int e = errno;

	return vmm_errf(err, e, "vCPU %u: %s(0x%016llx): %s", vcpu, what,
			(unsigned long long)id, strerror(e));
}

/* KVM_GET_REG_LIST into a new array. */
static int get_reg_list(int fd, struct kvm_reg_list **out, uint32_t i,
			struct vmm_err *err)
{
	struct kvm_reg_list head = { .n = 0 }, *l;

	if (vkvm_ioctl(fd, KVM_GET_REG_LIST, &head) == 0 || errno != E2BIG)
		return ioctl_err(err, "KVM_GET_REG_LIST", i, 0);
	l = malloc(sizeof(*l) + head.n * sizeof(l->reg[0]));
	if (!l)
		return vmm_errf(err, ENOMEM, "register list: out of memory");
	l->n = head.n;
	if (vkvm_ioctl(fd, KVM_GET_REG_LIST, l) < 0) {
		free(l);
		return ioctl_err(err, "KVM_GET_REG_LIST", i, 0);
	}
	*out = l;
	return 0;
}

/* VCPU_REGS payload: count, then (id, size, value) in reg-list order. */
static int save_regs(int fd, uint32_t i, struct snap_buf *b,
		     struct vmm_err *err)
{
	struct kvm_reg_list *l = NULL;
	uint8_t val[SNAP_MAX_REG_SIZE];
	int ret;

	ret = get_reg_list(fd, &l, i, err);
	if (ret)
		return ret;
	snap_buf_put32(b, (uint32_t)l->n);
	for (uint64_t k = 0; !ret && k < l->n; k++) {
		uint64_t id = l->reg[k];
		struct kvm_one_reg r = { id, (uint64_t)(uintptr_t)val };

		if (KVM_REG_SIZE(id) > sizeof(val)) {
			ret = vmm_errf(err, E2BIG,
				       "vCPU %u: register 0x%016llx is too big",
				       i, (unsigned long long)id);
		} else if (vkvm_ioctl(fd, KVM_GET_ONE_REG, &r) < 0) {
			ret = ioctl_err(err, "KVM_GET_ONE_REG", i, id);
		} else {
			snap_buf_put64(b, id);
			snap_buf_put32(b, KVM_REG_SIZE(id));
			snap_buf_put(b, val, KVM_REG_SIZE(id));
		}
	}
	free(l);
	return ret;
}

static int write_buf(struct snap_writer *w, uint32_t type, uint32_t inst,
		     struct snap_buf *b, struct vmm_err *err)
{
	int ret = snap_write_section(w, type, inst, b, NULL, 0);

	snap_buf_free(b);
	if (ret)
		return vmm_errf(err, -ret, "writing the %s section: %s",
				snap_section_name(type), strerror(-ret));
	return 0;
}

static int save_vcpu(const struct vmm_state_vm *vm, uint32_t i,
		     struct snap_writer *w, struct vmm_err *err)
{
	struct snap_buf b = { 0 };
	struct kvm_mp_state mp;
	int ret;

	ret = save_regs(vm->vcpu_fds[i], i, &b, err);
	if (ret) {
		snap_buf_free(&b);
		return ret;
	}
	ret = write_buf(w, SNAP_SEC_VCPU_REGS, i, &b, err);
	if (ret)
		return ret;
	if (vkvm_ioctl(vm->vcpu_fds[i], KVM_GET_MP_STATE, &mp) < 0)
		return ioctl_err(err, "KVM_GET_MP_STATE", i, 0);
	snap_buf_put32(&b, mp.mp_state);
	return write_buf(w, SNAP_SEC_VCPU_MP_STATE, i, &b, err);
}

static int save_devices(const struct vmm_state_devices *dev,
			struct snap_writer *w, struct vmm_err *err)
{
	struct snap_buf b = { 0 };
	int ret = 0;

	if (dev && dev->pl011) {
		snap_put_pl011(&b, dev->pl011);
		ret = write_buf(w, SNAP_SEC_PL011, 0, &b, err);
	}
	if (!ret && dev && dev->pl031) {
		snap_put_pl031(&b, dev->pl031);
		ret = write_buf(w, SNAP_SEC_PL031, 0, &b, err);
	}
	return ret;
}

static int save_ram(const struct vmm_state_vm *vm, struct snap_writer *w,
		    struct vmm_err *err)
{
	int ret = 0;

	for (uint32_t i = 0; !ret && i < vm->m->nr_ram; i++)
		ret = snap_write_ram(w, vm->m->ram[i].gpa, vm->ram[i],
				     vm->m->ram[i].size);
	if (ret)
		return vmm_errf(err, -ret, "writing guest RAM: %s",
				strerror(-ret));
	return 0;
}

int vmm_state_save(const struct vmm_state_vm *vm,
		   const struct vmm_state_devices *dev, struct snap_writer *w,
		   struct vmm_err *err)
{
	struct snap_buf b = { 0 };
	int ret;

	ret = snap_write_header(w);
	if (ret)
		return vmm_errf(err, -ret, "writing the header: %s",
				strerror(-ret));
	snap_put_machine(&b, vm->m);
	ret = write_buf(w, SNAP_SEC_MACHINE, 0, &b, err);
	for (uint32_t i = 0; !ret && i < vm->m->nr_vcpus; i++)
		ret = save_vcpu(vm, i, w, err);
	if (!ret)
		ret = vmm_gic_state_save(vm, &b, err);
	if (!ret)
		ret = write_buf(w, SNAP_SEC_GIC, 0, &b, err);
	snap_buf_free(&b);
	if (!ret)
		ret = save_devices(dev, w, err);
	if (!ret && !vm->skip_ram)
		ret = save_ram(vm, w, err);
	if (!ret && (ret = snap_write_end(w)))
		ret = vmm_errf(err, -ret, "writing END: %s", strerror(-ret));
	return ret;
}

/* --- a fresh VM ------------------------------------------------------------ */

static int vm_step(struct vmm_err *err, int fd, unsigned long req, void *arg,
		   const char *what)
{
	if (vkvm_ioctl(fd, req, arg) >= 0)
		return 0;
	return vmm_errf(err, errno, "%s: %s", what, strerror(errno));
}

static int create_vcpus(struct vmm_state_vm *vm, struct vmm_err *err)
{
	struct kvm_vcpu_init init;
	int ret;

	ret = vm_step(err, vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init,
		      "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	for (uint32_t i = 0; !ret && i < vm->m->nr_vcpus; i++) {
		vm->vcpu_fds[i] = vkvm_ioctl(vm->vm_fd, KVM_CREATE_VCPU,
					     (unsigned long)vm->m->vcpus[i].id);
		if (vm->vcpu_fds[i] < 0)
			return vmm_errf(err, errno, "KVM_CREATE_VCPU(%u): %s",
					vm->m->vcpus[i].id, strerror(errno));
		ret = vm_step(err, vm->vcpu_fds[i], KVM_ARM_VCPU_INIT, &init,
			      "KVM_ARM_VCPU_INIT");
	}
	return ret;
}

static int map_ram(struct vmm_state_vm *vm, struct vmm_err *err)
{
	for (uint32_t i = 0; i < vm->m->nr_ram; i++) {
		const struct snap_ram_desc *d = &vm->m->ram[i];
		struct kvm_userspace_memory_region r;
		void *p = mmap(NULL, (size_t)d->size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);

		if (p == MAP_FAILED)
			return vmm_errf(err, errno, "guest RAM: %s",
					strerror(errno));
		vm->ram[i] = p;
		r = (struct kvm_userspace_memory_region){
			d->slot, d->flags, d->gpa, d->size,
			(uint64_t)(uintptr_t)p
		};
		if (vkvm_ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
			return vmm_errf(err, errno,
					"KVM_SET_USER_MEMORY_REGION(slot %u): "
					"%s",
					d->slot, strerror(errno));
	}
	return 0;
}

static int gic_set(struct vmm_state_vm *vm, uint32_t group, uint64_t attr,
		   const void *val, struct vmm_err *err)
{
	struct kvm_device_attr a = { .group = group,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	if (vkvm_ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a) >= 0)
		return 0;
	return vmm_errf(err, errno, "vGIC: SET_DEVICE_ATTR(group %u, %llu): %s",
			group, (unsigned long long)attr, strerror(errno));
}

/* KVM_CREATE_DEVICE, addresses, NR_IRQS, CTRL_INIT (kvmtool's order). */
static int create_gic(struct vmm_state_vm *vm, struct vmm_err *err)
{
	const struct snap_machine *m = vm->m;
	struct kvm_create_device dev = {
		.type = m->gic_version == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
					      KVM_DEV_TYPE_ARM_VGIC_V2,
	};
	uint64_t redist = m->gic_cpu | (uint64_t)m->nr_vcpus
					       << KVM_VGIC_V3_RDIST_COUNT_SHIFT;
	int ret;

	ret = vm_step(err, vm->vm_fd, KVM_CREATE_DEVICE, &dev,
		      "KVM_CREATE_DEVICE(vGIC)");
	if (ret)
		return ret;
	vm->gic_fd = (int)dev.fd;
	ret = gic_set(vm, KVM_DEV_ARM_VGIC_GRP_ADDR,
		      m->gic_version == 3 ? KVM_VGIC_V3_ADDR_TYPE_DIST :
					    KVM_VGIC_V2_ADDR_TYPE_DIST,
		      &m->gic_dist, err);
	if (!ret && m->gic_version == 3)
		ret = gic_set(vm, KVM_DEV_ARM_VGIC_GRP_ADDR,
			      KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &redist,
			      err);
	else if (!ret)
		ret = gic_set(vm, KVM_DEV_ARM_VGIC_GRP_ADDR,
			      KVM_VGIC_V2_ADDR_TYPE_CPU, &m->gic_cpu, err);
	if (!ret)
		ret = gic_set(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &m->nr_irqs,
			      err);
	if (!ret)
		ret = gic_set(vm, KVM_DEV_ARM_VGIC_GRP_CTRL,
			      KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, err);
	return ret;
}

int vmm_state_vm_create(struct vmm_state_vm *vm, const struct snap_machine *m,
			struct vmm_err *err)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->m = m;
	vm->owned = true;
	vm->kvm_fd = vm->vm_fd = vm->gic_fd = -1;
	vm->vcpu_fds = malloc(m->nr_vcpus * sizeof(int));
	vm->ram = calloc(SNAP_MAX_RAM, sizeof(*vm->ram));
	if (!vm->vcpu_fds || !vm->ram) {
		vmm_state_vm_destroy(vm);
		return vmm_errf(err, ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < m->nr_vcpus; i++)
		vm->vcpu_fds[i] = -1;
	vm->kvm_fd = vkvm_open();
	ret = vm->kvm_fd < 0 ?
		      vmm_errf(err, errno, "vkvm_open: %s", strerror(errno)) :
		      0;
	if (!ret) {
		vm->vm_fd = vkvm_ioctl(vm->kvm_fd, KVM_CREATE_VM, 0UL);
		if (vm->vm_fd < 0)
			ret = vmm_errf(err, errno, "KVM_CREATE_VM: %s",
				       strerror(errno));
	}
	if (!ret)
		ret = create_vcpus(vm, err);
	if (!ret)
		ret = map_ram(vm, err);
	if (!ret)
		ret = create_gic(vm, err);
	if (ret)
		vmm_state_vm_destroy(vm);
	return ret;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		vkvm_close(*fd);
	*fd = -1;
}

void vmm_state_vm_destroy(struct vmm_state_vm *vm)
{
	if (!vm->owned)
		return;
	for (uint32_t i = 0; vm->vcpu_fds && i < vm->m->nr_vcpus; i++)
		close_fd(&vm->vcpu_fds[i]);
	close_fd(&vm->gic_fd);
	close_fd(&vm->vm_fd);
	close_fd(&vm->kvm_fd);
	for (uint32_t i = 0; vm->ram && i < vm->m->nr_ram; i++)
		if (vm->ram[i])
			munmap(vm->ram[i], (size_t)vm->m->ram[i].size);
	free(vm->vcpu_fds);
	free(vm->ram);
	memset(vm, 0, sizeof(*vm));
}

/* --- restore ----------------------------------------------------------------- */

static int check_match(const struct vmm_state_vm *vm, const struct snap_file *f,
		       struct vmm_err *err)
{
	const struct snap_machine *a = vm->m, *b = &f->m;

	if (a->nr_vcpus != b->nr_vcpus || a->gic_version != b->gic_version ||
	    a->nr_irqs != b->nr_irqs || a->nr_ram != b->nr_ram)
		return vmm_errf(err, EINVAL,
				"the snapshot's machine (%u vCPUs, GICv%u, %u "
				"IRQs) does not match the VM's",
				b->nr_vcpus, b->gic_version, b->nr_irqs);
	for (uint32_t i = 0; i < a->nr_ram; i++)
		if (a->ram[i].gpa != b->ram[i].gpa ||
		    a->ram[i].size != b->ram[i].size)
			return vmm_errf(err, EINVAL,
					"RAM region %u differs from the VM's",
					i);
	return 0;
}

static void restore_ram(const struct vmm_state_vm *vm,
			const struct snap_file *f)
{
	for (size_t k = 0; k < f->nr_ram_chunks; k++) {
		const struct snap_ram_chunk *c = &f->ram[k];

		for (uint32_t i = 0; i < vm->m->nr_ram; i++) {
			const struct snap_ram_desc *d = &vm->m->ram[i];
			uint8_t *dst;

			/* snap_parse() checked the chunk lies in a region */
			if (c->gpa < d->gpa || c->gpa - d->gpa >= d->size)
				continue;
			dst = vm->ram[i] + (c->gpa - d->gpa);
			if (c->data)
				memcpy(dst, c->data, (size_t)c->len);
			else
				memset(dst, 0, (size_t)c->len);
		}
	}
}

static int restore_regs(const struct vmm_state_vm *vm, uint32_t i,
			const struct snap_span *s, struct vmm_err *err)
{
	struct snap_cursor c = snap_cursor_of(s);
	struct snap_reg r;

	while (snap_next_reg(&c, &r)) {
		struct kvm_one_reg o = { r.id, (uint64_t)(uintptr_t)r.value };

		if (vkvm_ioctl(vm->vcpu_fds[i], KVM_SET_ONE_REG, &o) < 0)
			return ioctl_err(err, "KVM_SET_ONE_REG", i, r.id);
	}
	return 0;
}

int vmm_state_restore(const struct vmm_state_vm *vm, const struct snap_file *f,
		      struct vmm_err *err)
{
	int ret = check_match(vm, f, err);

	if (ret)
		return ret;
	restore_ram(vm, f);
	for (uint32_t i = 0; !ret && i < f->m.nr_vcpus; i++)
		ret = restore_regs(vm, i, &f->regs[i], err);
	if (!ret)
		ret = vmm_gic_state_restore(vm, &f->gic, err);
	for (uint32_t i = 0; !ret && i < f->m.nr_vcpus; i++) {
		struct kvm_mp_state mp = { f->mp_state[i] };

		if (vkvm_ioctl(vm->vcpu_fds[i], KVM_SET_MP_STATE, &mp) < 0)
			ret = ioctl_err(err, "KVM_SET_MP_STATE", i,
					f->mp_state[i]);
	}
	return ret;
}
