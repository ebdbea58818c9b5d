// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * onereg_thread_test.c: GET/SET_ONE_REG and GET_REG_LIST on 4 vCPUs of one
 * VM from 4 threads at once, including the VM-wide registers (ID
 * registers, PSCI version, bitmaps, virtual counter).  Run under TSan by
 * scripts/check.sh (the file name contains "thread").
 */
#include <pthread.h>

#include "api_helpers.h"

#define NR_THREADS 4
#define LOOPS 2000

#define PC_ID                                                  \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(regs.pc))
#define TTBR0 ARM64_SYS_REG(3, 0, 2, 0, 0)
#define MIDR ARM64_SYS_REG(3, 0, 0, 0, 0)

struct worker {
	pthread_t thread;
	int vcpu;
	int errors;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct kvm_reg_list *l;

	for (uint64_t i = 0; i < LOOPS; i++) {
		uint64_t v = (i << 8) | (uint64_t)w->vcpu;

		w->errors += th_set64(w->vcpu, PC_ID, v) != 0;
		w->errors += th_get64(w->vcpu, PC_ID) != v;
		w->errors += th_set64(w->vcpu, TTBR0, v) != 0;
		w->errors += th_get64(w->vcpu, TTBR0) != v;
		w->errors += th_set64(w->vcpu, MIDR, 0x000f0510) != 0;
		w->errors += th_get64(w->vcpu, MIDR) != 0x000f0510;
		w->errors += th_set64(w->vcpu, KVM_REG_ARM_PSCI_VERSION,
				      i & 1 ? KVM_ARM_PSCI_1_0 :
					      KVM_ARM_PSCI_1_1) != 0;
		w->errors += th_set64(w->vcpu, KVM_REG_ARM_STD_BMAP, i & 1) !=
			     0;
		w->errors += th_set64(w->vcpu, KVM_REG_ARM_TIMER_CNT, i) != 0;
		w->errors += th_get64(w->vcpu, KVM_REG_ARM_TIMER_CTL) ==
			     0xdeadbeefdeadbeefULL;
		if (i % 256 == 0) {
			l = th_reg_list(w->vcpu);
			w->errors += l == NULL;
			free(l);
		}
	}
	return NULL;
}

TEST(onereg_concurrent_on_four_vcpus)
{
	struct worker w[NR_THREADS];
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	for (int i = 0; i < NR_THREADS; i++) {
		w[i].vcpu = th_vcpu(vm, (unsigned long)i, TH_PSCI);
		w[i].errors = 0;
		REQUIRE(w[i].vcpu >= 0);
	}
	for (int i = 0; i < NR_THREADS; i++)
		REQUIRE(pthread_create(&w[i].thread, NULL, worker_main,
				       &w[i]) == 0);
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(w[i].errors, 0);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		EXPECT_EQ(th_get64(w[i].vcpu, PC_ID),
			  ((uint64_t)(LOOPS - 1) << 8) | (uint64_t)w[i].vcpu);
		vkvm_close(w[i].vcpu);
	}
	vkvm_close(vm);
}
