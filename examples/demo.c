// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * demo.c: create a VM with two vCPUs and print their register lists and
 * core registers, using only the public API.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vkvm/vkvm.h>

int main(void)
{
	struct kvm_vcpu_init init;
	int kvm, vm, vcpu[2];

	kvm = vkvm_open();
	if (kvm < 0) {
		perror("vkvm_open");
		return 1;
	}
	printf("vkvm %s, KVM API version %d\n", vkvm_version(),
	       vkvm_ioctl(kvm, KVM_GET_API_VERSION, 0));
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		perror("KVM_CREATE_VM");
		return 1;
	}
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	for (int i = 0; i < 2; i++) {
		vcpu[i] = vkvm_ioctl(vm, KVM_CREATE_VCPU, i);
		if (vcpu[i] < 0 ||
		    vkvm_ioctl(vcpu[i], KVM_ARM_VCPU_INIT, &init) < 0) {
			perror("vCPU");
			return 1;
		}
	}
	for (int i = 0; i < 2; i++) {
		struct kvm_reg_list probe = { .n = 0 }, *list;

		vkvm_ioctl(vcpu[i], KVM_GET_REG_LIST, &probe);
		list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
		if (!list)
			return 1;
		list->n = probe.n;
		if (vkvm_ioctl(vcpu[i], KVM_GET_REG_LIST, list) < 0) {
			perror("KVM_GET_REG_LIST");
			return 1;
		}
		printf("vCPU %d: %llu registers\n", i,
		       (unsigned long long)list->n);
		for (uint64_t r = 0; r < list->n; r++) {
			uint64_t v[2] = { 0, 0 };
			struct kvm_one_reg reg = {
				.id = list->reg[r],
				.addr = (uint64_t)(uintptr_t)v
			};

			if (vkvm_ioctl(vcpu[i], KVM_GET_ONE_REG, &reg) < 0) {
				perror("KVM_GET_ONE_REG");
				return 1;
			}
			printf("  0x%016llx = 0x%016llx\n",
			       (unsigned long long)reg.id,
			       (unsigned long long)v[0]);
		}
		free(list);
	}
	for (int i = 0; i < 2; i++)
		vkvm_close(vcpu[i]);
	vkvm_close(vm);
	vkvm_close(kvm);
	return 0;
}
