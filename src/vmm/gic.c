// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic.c: create the in-library vGIC as kvmtool and Firecracker do
 * (kvm-arm-api.md 8.1, 8.5): KVM_CREATE_DEVICE, the `virt` addresses,
 * NR_IRQS, then CTRL_INIT, all after the vCPUs exist.
 */
#include "machine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"

static int gic_error(const struct vmm *vmm, const char *what)
{
	fprintf(stderr, "vkvm: GICv%d: %s: %s\n", vmm->opt->gic_version, what,
		strerror(errno));
	return VMM_EXIT_HOST_ERROR;
}

static int gic_set(struct vmm *vmm, uint32_t group, uint64_t attr,
		   const void *val, const char *what)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	if (vkvm_ioctl(vmm->gic_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return gic_error(vmm, what);
	return 0;
}

static int gic_set_addr(struct vmm *vmm, uint64_t type, uint64_t addr,
			const char *what)
{
	return gic_set(vmm, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr, what);
}

static int gic_set_addrs(struct vmm *vmm)
{
	uint64_t redist;
	int ret;

	if (vmm->opt->gic_version == 2) {
		ret = gic_set_addr(vmm, KVM_VGIC_V2_ADDR_TYPE_DIST,
				   VIRT_GIC_DIST_BASE, "distributor address");
		if (!ret)
			ret = gic_set_addr(vmm, KVM_VGIC_V2_ADDR_TYPE_CPU,
					   VIRT_GIC_CPU_BASE,
					   "CPU interface address");
		return ret;
	}
	ret = gic_set_addr(vmm, KVM_VGIC_V3_ADDR_TYPE_DIST, VIRT_GIC_DIST_BASE,
			   "distributor address");
	/* one redistributor region: index 0, a frame per vCPU */
	redist = VIRT_GIC_REDIST_BASE |
		 (uint64_t)vmm->nr_vcpus << KVM_VGIC_V3_RDIST_COUNT_SHIFT;
	if (!ret)
		ret = gic_set_addr(vmm, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				   redist, "redistributor region");
	return ret;
}

int vmm_gic_create(struct vmm *vmm)
{
	struct kvm_create_device dev = {
		.type = vmm->opt->gic_version == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
						     KVM_DEV_TYPE_ARM_VGIC_V2,
	};
	uint32_t nr_irqs = VIRT_NR_IRQS;
	int ret;

	if (vkvm_ioctl(vmm->vm_fd, KVM_CREATE_DEVICE, &dev) < 0)
		return gic_error(vmm, "KVM_CREATE_DEVICE");
	vmm->gic_fd = (int)dev.fd;
	ret = gic_set_addrs(vmm);
	if (!ret)
		ret = gic_set(vmm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs,
			      "NR_IRQS");
	if (!ret)
		ret = gic_set(vmm, KVM_DEV_ARM_VGIC_GRP_CTRL,
			      KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "CTRL_INIT");
	return ret;
}
