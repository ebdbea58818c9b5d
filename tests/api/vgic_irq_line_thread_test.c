// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_irq_line_thread_test.c: KVM_IRQ_LINE and the attribute API from
 * several threads at once (run under TSan by scripts/check.sh): injections
 * are not serialised against vCPU ioctls (spec 3.11) and must neither race
 * nor lose an edge.
 */
#include <pthread.h>

#include "api/vm.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

#define NR_THREADS 4
#define ROUNDS 2000
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280

struct job {
	int vm, dev, idx;
	uint32_t type;
};

/* Each thread pulses its own SPIs and drives its vCPU's PPI level. */
static void *injector(void *arg)
{
	struct job *j = arg;

	for (int r = 0; r < ROUNDS; r++) {
		uint32_t spi = 32 + 8 * (uint32_t)j->idx + (uint32_t)r % 8;

		if (irq_line(j->vm, irq_spi(spi), 1) ||
		    irq_line(j->vm, irq_spi(spi), 0) ||
		    irq_line(j->vm, irq_ppi((uint32_t)j->idx, 20), r & 1))
			return (void *)1;
	}
	return NULL;
}

/* Meanwhile: attribute reads, and a vCPU that is now and then busy. */
static void *attr_reader(void *arg)
{
	struct job *j = arg;
	uint32_t v;

	for (int r = 0; r < ROUNDS; r++)
		if (attr_get(j->dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
			     GICD_ISPENDR + 4, &v) &&
		    errno != EBUSY)
			return (void *)1;
	return NULL;
}

static void *busy_vcpu(void *arg)
{
	struct vcpu *v = arg;

	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&v->mutex);
		pthread_mutex_unlock(&v->mutex);
	}
	return NULL;
}

static void stress(uint32_t type)
{
	struct tvm t = tvm_new(NR_THREADS);
	int dev = create_dev(t.vm, type, 0);
	pthread_t th[NR_THREADS + 2];
	struct job jobs[NR_THREADS + 1];
	void *ret;

	REQUIRE(dev > 0);
	REQUIRE(ctrl_init(dev) == 0);
	for (int i = 0; i <= NR_THREADS; i++) {
		jobs[i] = (struct job){ t.vm, dev, i, type };
		REQUIRE(pthread_create(&th[i], NULL,
				       i < NR_THREADS ? injector : attr_reader,
				       &jobs[i]) == 0);
	}
	REQUIRE(pthread_create(&th[NR_THREADS + 1], NULL, busy_vcpu,
			       tvm_vcpu_obj(t.vcpu_fd[0])) == 0);
	for (int i = 0; i < NR_THREADS + 2; i++) {
		REQUIRE(pthread_join(th[i], &ret) == 0);
		EXPECT(ret == NULL);
	}
	/* every SPI 32..63 was pulsed: all latched (edge-triggered) */
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
			     GICD_ISPENDR + 4),
		  0xffffffff);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(concurrent_irq_lines_and_attrs_v2)
{
	stress(KVM_DEV_TYPE_ARM_VGIC_V2);
}

TEST(concurrent_irq_lines_and_attrs_v3)
{
	stress(KVM_DEV_TYPE_ARM_VGIC_V3);
}
