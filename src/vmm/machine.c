// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * machine.c: create and destroy a `virt` machine: the VM, guest RAM, the
 * vCPUs and their MPIDRs, the MMIO bus with the PL011, PL031 and the empty
 * virtio-mmio slots.
 */
#include "machine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layout.h"
#include "virtio_empty.h"

#define MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)

/* The device tree's cpu reg must be what MPIDR_EL1 reads on that vCPU. */
static int read_mpidr(struct vmm_vcpu *vcpu)
{
	struct kvm_one_reg reg = { .id = MPIDR_EL1,
				   .addr = (uint64_t)(uintptr_t)&vcpu->mpidr };

	if (vkvm_ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0)
		return vmm_host_error("KVM_GET_ONE_REG(MPIDR_EL1)");
	return 0;
}

static int create_vcpu(struct vmm *vmm, unsigned int i,
		       const struct kvm_vcpu_init *base, long mmap_size)
{
	struct vmm_vcpu *vcpu = &vmm->vcpus[i];
	struct kvm_vcpu_init init = *base;
	void *run;

	vcpu->vmm = vmm;
	vcpu->index = i;
	vcpu->fd = vkvm_ioctl(vmm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
	if (vcpu->fd < 0)
		return vmm_host_error("KVM_CREATE_VCPU");
	run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu->fd, 0);
	if (run == MAP_FAILED)
		return vmm_host_error("mmap(vCPU run structure)");
	vcpu->run = run;
	vcpu->run_size = (size_t)mmap_size;
	/* secondaries wait for PSCI CPU_ON, as on QEMU's virt */
	if (i > 0)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (vkvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return vmm_host_error("KVM_ARM_VCPU_INIT");
	return read_mpidr(vcpu);
}

static int create_vcpus(struct vmm *vmm)
{
	struct kvm_vcpu_init init;
	long mmap_size;
	int ret;

	mmap_size = vkvm_ioctl(vmm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (long)sizeof(struct kvm_run))
		return vmm_host_error("KVM_GET_VCPU_MMAP_SIZE");
	if (vkvm_ioctl(vmm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return vmm_host_error("KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	vmm->vcpus = calloc(vmm->opt->smp, sizeof(*vmm->vcpus));
	if (!vmm->vcpus)
		return vmm_host_error("vCPUs");
	for (unsigned int i = 0; i < vmm->opt->smp; i++)
		vmm->vcpus[i].fd = -1;
	vmm->nr_vcpus = vmm->opt->smp;
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		ret = create_vcpu(vmm, i, &init, mmap_size);
		if (ret)
			return ret;
	}
	return 0;
}

static int alloc_ram(struct vmm *vmm)
{
	uint64_t size = vmm->opt->ram_mib << 20;
	void *p;

	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr,
			"vkvm: --memory %llu: cannot map guest RAM: "
			"%s\n",
			(unsigned long long)vmm->opt->ram_mib, strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	vmm->ram = (struct vmm_ram){ p, VIRT_RAM_BASE, size };
	return 0;
}

/* The guest armed the RTC alarm: the main loop recomputes its wait. */
static void rtc_alarm_changed(void *opaque)
{
	struct vmm *vmm = opaque;
	char c = 0;

	if (write(vmm->event[1], &c, 1) < 0) {
		/* full: the main loop is already due to wake */
	}
}

/* Devices exist from the start so that destroy can always free them. */
static void init_devices(struct vmm *vmm)
{
	struct vmm_irq_line uart = { -1, 32 + VIRT_UART_SPI, 0 };
	struct vmm_irq_line rtc = { -1, 32 + VIRT_RTC_SPI, 0 };

	vmm_bus_init(&vmm->bus);
	vmm_pl011_init(&vmm->uart, STDOUT_FILENO, uart);
	vmm->uart.rx_space = vmm_console_rx_space;
	vmm->uart.rx_space_opaque = vmm;
	vmm_pl031_init(&vmm->rtc, rtc);
	vmm->rtc.alarm_changed = rtc_alarm_changed;
	vmm->rtc.alarm_changed_opaque = vmm;
}

static int add_devices(struct vmm *vmm)
{
	int ret;

	vmm->uart.irq.vm_fd = vmm->vm_fd;
	vmm->rtc.irq.vm_fd = vmm->vm_fd;
	ret = vmm_bus_add(&vmm->bus, VIRT_UART_BASE, VIRT_UART_SIZE,
			  &vmm_pl011_ops, &vmm->uart);
	if (!ret)
		ret = vmm_bus_add(&vmm->bus, VIRT_RTC_BASE, VIRT_RTC_SIZE,
				  &vmm_pl031_ops, &vmm->rtc);
	for (unsigned int i = 0; !ret && i < VIRT_MMIO_SLOTS; i++)
		ret = vmm_bus_add(&vmm->bus,
				  VIRT_MMIO_BASE + i * VIRT_MMIO_SLOT_SIZE,
				  VIRT_MMIO_SLOT_SIZE, &vmm_virtio_empty_ops,
				  NULL);
	if (ret) {
		errno = -ret;
		return vmm_host_error("MMIO bus");
	}
	return 0;
}

static int open_vm(struct vmm *vmm)
{
	vmm->kvm_fd = vkvm_open();
	if (vmm->kvm_fd < 0)
		return vmm_host_error("vkvm_open");
	if (vkvm_ioctl(vmm->kvm_fd, KVM_GET_API_VERSION, 0) !=
	    KVM_API_VERSION) {
		fprintf(stderr, "vkvm: KVM_GET_API_VERSION: not %d\n",
			KVM_API_VERSION);
		return VMM_EXIT_HOST_ERROR;
	}
	vmm->vm_fd = vkvm_ioctl(vmm->kvm_fd, KVM_CREATE_VM, 0UL);
	if (vmm->vm_fd < 0)
		return vmm_host_error("KVM_CREATE_VM");
	return 0;
}

int vmm_machine_create(struct vmm *vmm, const struct vmm_options *opt)
{
	int ret;

	memset(vmm, 0, sizeof(*vmm));
	vmm->opt = opt;
	vmm->kvm_fd = vmm->vm_fd = vmm->gic_fd = -1;
	vmm->event[0] = vmm->event[1] = -1;
	vmm->console.wake[0] = vmm->console.wake[1] = -1;
	pthread_mutex_init(&vmm->stop_lock, NULL);
	pthread_mutex_init(&vmm->pause_lock, NULL);
	pthread_cond_init(&vmm->pause_cond, NULL);
	init_devices(vmm);
	if (pipe2(vmm->event, O_CLOEXEC | O_NONBLOCK) < 0)
		return vmm_host_error("pipe");
	ret = open_vm(vmm);
	if (!ret)
		ret = alloc_ram(vmm);
	if (!ret)
		ret = add_devices(vmm);
	if (!ret)
		ret = create_vcpus(vmm);
	return ret;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		vkvm_close(*fd);
	*fd = -1;
}

void vmm_machine_destroy(struct vmm *vmm)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		struct vmm_vcpu *vcpu = &vmm->vcpus[i];

		if (vcpu->run)
			munmap(vcpu->run, vcpu->run_size);
		close_fd(&vcpu->fd);
	}
	free(vmm->vcpus);
	vmm->vcpus = NULL;
	vmm->nr_vcpus = 0;
	close_fd(&vmm->gic_fd);
	close_fd(&vmm->vm_fd);
	close_fd(&vmm->kvm_fd);
	if (vmm->ram.host)
		munmap(vmm->ram.host, (size_t)vmm->ram.size);
	if (vmm->flash)
		munmap(vmm->flash, (size_t)vmm->flash_size);
	if (vmm->flash1)
		munmap(vmm->flash1, VIRT_FLASH_SIZE);
	vmm->ram.host = vmm->flash = vmm->flash1 = NULL;
	for (int i = 0; i < 2; i++)
		if (vmm->event[i] >= 0)
			close(vmm->event[i]);
	vmm->event[0] = vmm->event[1] = -1;
	vmm_pl031_destroy(&vmm->rtc);
	vmm_pl011_destroy(&vmm->uart);
	vmm_bus_destroy(&vmm->bus);
	pthread_mutex_destroy(&vmm->stop_lock);
	pthread_mutex_destroy(&vmm->pause_lock);
	pthread_cond_destroy(&vmm->pause_cond);
}
