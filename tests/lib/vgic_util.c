// SPDX-License-Identifier: GPL-2.0-or-later
/* vgic_util.c: helpers shared by the vGIC API tests (see vgic_util.h). */
#include "lib/vgic_util.h"

#include <string.h>

#include "api/file.h"
#include "lib/test.h"

static bool vcpu_inited[1024];

struct tvm tvm_new(int n)
{
	struct tvm t;

	memset(&t, 0, sizeof(t));
	t.kvm = vkvm_open();
	REQUIRE(t.kvm >= 0);
	t.vm = vkvm_ioctl(t.kvm, KVM_CREATE_VM, 0);
	REQUIRE(t.vm >= 0);
	for (int i = 0; i < n; i++)
		REQUIRE(tvm_add_vcpu(&t, (uint32_t)i) >= 0);
	return t;
}

int tvm_add_vcpu(struct tvm *t, uint32_t id)
{
	int fd = vkvm_ioctl(t->vm, KVM_CREATE_VCPU, (unsigned long)id);

	if (fd >= 0 && t->nr_vcpus < TVM_MAX_VCPUS) {
		t->vcpu_fd[t->nr_vcpus] = fd;
		t->vcpu_id[t->nr_vcpus] = id;
		t->nr_vcpus++;
		if ((size_t)fd < sizeof(vcpu_inited))
			vcpu_inited[fd] = false;
	}
	return fd;
}

void tvm_free(struct tvm *t)
{
	for (int i = 0; i < t->nr_vcpus; i++)
		vkvm_close(t->vcpu_fd[i]);
	vkvm_close(t->vm);
	vkvm_close(t->kvm);
	t->nr_vcpus = 0;
}

void *tvm_file_priv(int fd)
{
	struct vkvm_file *f;
	void *priv;
	int err;

	f = file_get(fd, &err);
	REQUIRE(f);
	priv = f->priv;
	file_put(f);
	return priv;
}

struct vcpu *tvm_vcpu_obj(int fd)
{
	return tvm_file_priv(fd);
}

int tvm_new_dev(struct tvm *t, int nr_vcpus, uint32_t type)
{
	int dev;

	*t = tvm_new(nr_vcpus);
	dev = create_dev(t->vm, type, 0);
	REQUIRE(dev > 0);
	return dev;
}

void tvm_free_dev(struct tvm *t, int dev)
{
	vkvm_close(dev);
	tvm_free(t);
}

int tvm_vcpu_fd_by_id(const struct tvm *t, uint32_t id)
{
	for (int i = 0; i < t->nr_vcpus; i++)
		if (t->vcpu_id[i] == id)
			return t->vcpu_fd[i];
	return -1;
}

int tvm_run(struct tvm *t, int idx)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int fd = t->vcpu_fd[idx];

	if ((size_t)fd >= sizeof(vcpu_inited) || !vcpu_inited[fd]) {
		REQUIRE(vkvm_ioctl(fd, KVM_ARM_VCPU_INIT, &init) == 0);
		if ((size_t)fd < sizeof(vcpu_inited))
			vcpu_inited[fd] = true;
	}
	return vkvm_ioctl(fd, KVM_RUN, 0);
}

int create_dev(int vm, uint32_t type, uint32_t flags)
{
	struct kvm_create_device cd = { .type = type, .flags = flags };
	int ret = vkvm_ioctl(vm, KVM_CREATE_DEVICE, &cd);

	if (ret < 0)
		return ret;
	return (flags & KVM_CREATE_DEVICE_TEST) ? 0 : (int)cd.fd;
}

static int attr_call(int fd, unsigned long req, uint32_t group, uint64_t attr,
		     const void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};
	return vkvm_ioctl(fd, req, &a);
}

int attr_set(int fd, uint32_t group, uint64_t attr, const void *val)
{
	return attr_call(fd, KVM_SET_DEVICE_ATTR, group, attr, val);
}

int attr_get(int fd, uint32_t group, uint64_t attr, void *val)
{
	return attr_call(fd, KVM_GET_DEVICE_ATTR, group, attr, val);
}

int attr_has(int fd, uint32_t group, uint64_t attr)
{
	return attr_call(fd, KVM_HAS_DEVICE_ATTR, group, attr, NULL);
}

int attr_set64(int fd, uint32_t group, uint64_t attr, uint64_t val)
{
	return attr_set(fd, group, attr, &val);
}

int attr_set32(int fd, uint32_t group, uint64_t attr, uint32_t val)
{
	return attr_set(fd, group, attr, &val);
}

/* GET into @val (@size bytes); a failure fails the current test. */
static uint64_t attr_get_checked(int fd, uint32_t group, uint64_t attr,
				 size_t size)
{
	uint64_t v = 0;

	if (attr_get(fd, group, attr, &v)) {
		test_fail(__FILE__, __LINE__,
			  "GET group %u attr 0x%llx: errno %d", group,
			  (unsigned long long)attr, errno);
		return ~0ULL;
	}
	return size == 4 ? (uint32_t)v : v;
}

uint32_t attr_get32(int fd, uint32_t group, uint64_t attr)
{
	return (uint32_t)attr_get_checked(fd, group, attr, 4);
}

uint64_t attr_get64(int fd, uint32_t group, uint64_t attr)
{
	return attr_get_checked(fd, group, attr, 8);
}

int ctrl_init(int dev)
{
	return attr_set(dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
			KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

uint64_t rdist_region(uint64_t count, uint64_t base, uint64_t flags,
		      uint64_t index)
{
	return count << KVM_VGIC_V3_RDIST_COUNT_SHIFT | base |
	       flags << KVM_VGIC_V3_RDIST_FLAGS_SHIFT | index;
}

uint64_t v3_mpidr_attr(uint32_t id)
{
	uint64_t aff0 = id & 0xf, aff1 = (id >> 4) & 0xff,
		 aff2 = (id >> 12) & 0xff;

	return (aff2 << 16 | aff1 << 8 | aff0) << 32;
}

uint64_t v2_cpu_attr(uint32_t id)
{
	return (uint64_t)id << KVM_DEV_ARM_VGIC_CPUID_SHIFT;
}

int irq_line(int vm, uint32_t irq, uint32_t level)
{
	struct kvm_irq_level il = { .irq = irq, .level = level };

	return vkvm_ioctl(vm, KVM_IRQ_LINE, &il);
}

uint32_t irq_spi(uint32_t intid)
{
	return KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | intid;
}

uint32_t irq_ppi(uint32_t vcpu, uint32_t intid)
{
	return KVM_ARM_IRQ_TYPE_PPI << KVM_ARM_IRQ_TYPE_SHIFT |
	       (vcpu & 0xff) << KVM_ARM_IRQ_VCPU_SHIFT |
	       ((vcpu >> 8) & 0xf) << KVM_ARM_IRQ_VCPU2_SHIFT | intid;
}

uint32_t irq_cpu(uint32_t vcpu, uint32_t line)
{
	return KVM_ARM_IRQ_TYPE_CPU << KVM_ARM_IRQ_TYPE_SHIFT |
	       (vcpu & 0xff) << KVM_ARM_IRQ_VCPU_SHIFT |
	       ((vcpu >> 8) & 0xf) << KVM_ARM_IRQ_VCPU2_SHIFT | line;
}
