// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boot.c: load the guest's files, build the device tree, map memory into
 * the VM, create the vGIC and set the boot vCPU's registers
 * (../shared/spec/virt-machine.md, "Boot state").
 */
#include "machine.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "fdt.h"
#include "layout.h"

#define CORE_REG(name)                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(name))
#define PSTATE_EL1H_DAIF 0x3c5ULL

/* A user-input problem: message, then exit status 2. */
static int usage_error(const char *opt, const char *path,
		       const struct vmm_err *err)
{
	if (path)
		fprintf(stderr, "vkvm: --%s: %s: %s\n", opt, path, err->msg);
	else
		fprintf(stderr, "vkvm: --%s: %s\n", opt, err->msg);
	return VMM_EXIT_USAGE;
}

static int load_bios(struct vmm *vmm)
{
	struct vmm_blob blob;
	struct vmm_err err;
	void *p;

	if (vmm_read_file(vmm->opt->bios, VIRT_FLASH_SIZE, &blob, &err))
		return usage_error("bios", NULL, &err);
	p = mmap(NULL, VIRT_FLASH_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		vmm_blob_free(&blob);
		return vmm_host_error("mmap(flash)");
	}
	memcpy(p, blob.data, blob.size);
	vmm_blob_free(&blob);
	vmm->flash = p;
	vmm->flash_size = VIRT_FLASH_SIZE;
	vmm->entry = VIRT_FLASH_BASE;
	/* Bank 1 reads as zero, as an unknown device would, but from memory:
	 * U-Boot probes and scans it, and an MMIO exit per read made that
	 * take seconds.  Its pages are the shared zero page (no RSS); its
	 * stores still exit (a read-only slot) and are ignored. */
	p = mmap(NULL, VIRT_FLASH_SIZE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return vmm_host_error("mmap(flash bank 1)");
	vmm->flash1 = p;
	return 0;
}

static int load_kernel(struct vmm *vmm, struct vmm_kernel *k)
{
	struct vmm_blob blob;
	struct vmm_err err;
	int ret;

	if (vmm_read_file(vmm->opt->kernel, (size_t)vmm->ram.size, &blob, &err))
		return usage_error("kernel", NULL, &err);
	ret = vmm_load_kernel(&vmm->ram, blob.data, blob.size, k, &err);
	vmm_blob_free(&blob);
	if (ret)
		return usage_error("kernel", vmm->opt->kernel, &err);
	if (!vmm->opt->bios)
		vmm->entry = k->entry;
	return 0;
}

static int load_initrd(struct vmm *vmm, const struct vmm_kernel *k,
		       struct vmm_boot_plan *plan)
{
	struct vmm_blob blob = { NULL, 0 };
	struct vmm_err err;
	int ret = 0;

	if (vmm->opt->initrd &&
	    vmm_read_file(vmm->opt->initrd, (size_t)vmm->ram.size, &blob, &err))
		return usage_error("initrd", NULL, &err);
	if (vmm_plan_boot(&vmm->ram, k, blob.size, vmm->opt->bios != NULL, plan,
			  &err)) {
		ret = usage_error(vmm->opt->initrd ? "initrd" : "memory",
				  vmm->opt->initrd, &err);
	} else if (blob.size) {
		ret = vmm_ram_copy(&vmm->ram, plan->initrd_start, blob.data,
				   blob.size, &err);
		if (ret)
			ret = usage_error("initrd", vmm->opt->initrd, &err);
	}
	vmm_blob_free(&blob);
	return ret;
}

/* The user's --dtb, checked and fixed up, in @buf of @room bytes. */
static int user_dtb(struct vmm *vmm, const struct vmm_fdt_params *p, void *buf,
		    size_t room)
{
	struct vmm_blob blob;
	struct vmm_err err;
	int ret;

	if (vmm_read_file(vmm->opt->dtb, room, &blob, &err))
		return usage_error("dtb", NULL, &err);
	memcpy(buf, blob.data, blob.size);
	ret = vmm_fdt_fixup(p, buf, blob.size, room, &err);
	vmm_blob_free(&blob);
	return ret ? usage_error("dtb", vmm->opt->dtb, &err) : 0;
}

static int write_dump(const char *path, const void *fdt)
{
	size_t size = fdt_totalsize(fdt);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(fdt, 1, size, f) != size) {
		fprintf(stderr, "vkvm: --dump-dtb: %s: %s\n", path,
			strerror(errno));
		if (f)
			fclose(f);
		return VMM_EXIT_USAGE;
	}
	if (fclose(f)) {
		fprintf(stderr, "vkvm: --dump-dtb: %s: %s\n", path,
			strerror(errno));
		return VMM_EXIT_USAGE;
	}
	return 0;
}

static void fdt_params(const struct vmm *vmm, const struct vmm_boot_plan *plan,
		       uint64_t *mpidr, const uint8_t *seed,
		       struct vmm_fdt_params *p)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		mpidr[i] = vmm->vcpus[i].mpidr;
	*p = (struct vmm_fdt_params){
		.nr_cpus = vmm->nr_vcpus,
		.mpidr = mpidr,
		.gic_version = vmm->opt->gic_version,
		.ram_base = vmm->ram.base,
		.ram_size = vmm->ram.size,
		.bootargs = vmm->opt->append,
		.initrd_start = plan->initrd_start,
		.initrd_size = plan->initrd_size,
		.seed = seed,
	};
}

/* Build the tree straight into guest RAM at the planned address. */
static int make_dtb(struct vmm *vmm, const struct vmm_boot_plan *plan,
		    bool *done)
{
	uint8_t seed[VMM_FDT_SEED_SIZE];
	struct vmm_fdt_params p;
	struct vmm_err err;
	uint64_t *mpidr;
	void *buf = vmm->ram.host + (plan->dtb_addr - vmm->ram.base);
	int ret;

	mpidr = calloc(vmm->nr_vcpus, sizeof(*mpidr));
	if (!mpidr)
		return vmm_host_error("device tree");
	if (getrandom(seed, sizeof(seed), 0) != sizeof(seed))
		memset(seed, 0, sizeof(seed)); /* best effort only */
	fdt_params(vmm, plan, mpidr, seed, &p);
	if (vmm->opt->dtb)
		ret = user_dtb(vmm, &p, buf, (size_t)plan->dtb_room);
	else if (vmm_fdt_build(&p, buf, (size_t)plan->dtb_room, &err))
		ret = usage_error("memory", NULL, &err);
	else
		ret = 0;
	free(mpidr);
	if (ret)
		return ret;
	vmm->dtb_addr = plan->dtb_addr;
	if (vmm->opt->dump_dtb) {
		*done = true;
		return write_dump(vmm->opt->dump_dtb, buf);
	}
	return 0;
}

static int set_memslot(struct vmm *vmm, uint32_t slot, uint32_t flags,
		       uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region mr = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (vkvm_ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		return vmm_host_error("KVM_SET_USER_MEMORY_REGION");
	return 0;
}

static int set_reg(struct vmm_vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id,
				   .addr = (uint64_t)(uintptr_t)&val };

	if (vkvm_ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0)
		return vmm_host_error("KVM_SET_ONE_REG(boot registers)");
	return 0;
}

/* Boot vCPU: PC = entry, x0 = DTB, x1..x3 = 0, EL1h with DAIF masked. */
static int set_boot_regs(struct vmm *vmm)
{
	struct vmm_vcpu *vcpu = &vmm->vcpus[0];
	int ret;

	ret = set_reg(vcpu, CORE_REG(regs.pc), vmm->entry);
	if (!ret)
		ret = set_reg(vcpu, CORE_REG(regs.pstate), PSTATE_EL1H_DAIF);
	if (!ret)
		ret = set_reg(vcpu, CORE_REG(regs.regs[0]), vmm->dtb_addr);
	for (int i = 1; !ret && i <= 3; i++)
		ret = set_reg(vcpu, CORE_REG(regs.regs[i]), 0);
	return ret;
}

static int map_memory(struct vmm *vmm)
{
	int ret;

	ret = set_memslot(vmm, 0, 0, vmm->ram.base, vmm->ram.size,
			  vmm->ram.host);
	if (!ret && vmm->flash)
		ret = set_memslot(vmm, 1, KVM_MEM_READONLY, VIRT_FLASH_BASE,
				  vmm->flash_size, vmm->flash);
	if (!ret && vmm->flash1)
		ret = set_memslot(vmm, 2, KVM_MEM_READONLY, VIRT_FLASH1_BASE,
				  VIRT_FLASH_SIZE, vmm->flash1);
	return ret;
}

int vmm_boot_prepare(struct vmm *vmm, bool *done)
{
	struct vmm_kernel k;
	struct vmm_boot_plan plan;
	bool have_kernel = vmm->opt->kernel != NULL;
	int ret = 0;

	*done = false;
	if (vmm->opt->bios)
		ret = load_bios(vmm);
	if (!ret && have_kernel)
		ret = load_kernel(vmm, &k);
	if (!ret)
		ret = load_initrd(vmm, have_kernel ? &k : NULL, &plan);
	if (!ret)
		ret = make_dtb(vmm, &plan, done);
	if (ret || *done)
		return ret;
	ret = map_memory(vmm);
	if (!ret)
		ret = vmm_gic_create(vmm);
	if (!ret)
		ret = set_boot_regs(vmm);
	return ret;
}
