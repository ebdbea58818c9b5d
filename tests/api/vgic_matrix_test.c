// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_matrix_test.c: the legality matrix of spec 3.11, one TEST per row,
 * each checking every column that applies (before init, after init, after
 * the first run, while a vCPU is busy) on the models the row names.
 */
#include <pthread.h>

#include "api/vm.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

enum stage { BEFORE_INIT, AFTER_INIT, AFTER_RUN, NR_STAGES };

#define V2 KVM_DEV_TYPE_ARM_VGIC_V2
#define V3 KVM_DEV_TYPE_ARM_VGIC_V3
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GICD_CTLR 0x0
#define GICD_IIDR 0x8
#define GICD_TYPER2 0xc
#define GICR_CTLR 0x0
#define ICC_PMR_EL1 0xc230

struct mvm {
	struct tvm t;
	int dev;
	uint32_t type;
	struct vcpu *busy; /* vCPU 1, held by busy_begin() */
};

/*
 * A VM with 2 vCPUs and a vGIC of @type whose bases are set (v3: one
 * REDIST_REGION of 2), brought to @stage.
 */
static struct mvm mvm_new(uint32_t type, enum stage stage)
{
	struct mvm m = { .t = tvm_new(2), .type = type };
	int ret;

	m.dev = create_dev(m.t.vm, type, 0);
	REQUIRE(m.dev > 0);
	m.busy = tvm_vcpu_obj(m.t.vcpu_fd[1]);
	if (type == V2) {
		REQUIRE(!attr_set64(m.dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST,
				    0x8000000));
		REQUIRE(!attr_set64(m.dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU,
				    0x8010000));
	} else {
		REQUIRE(!attr_set64(m.dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
				    0x8000000));
		REQUIRE(!attr_set64(m.dev, GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				    rdist_region(2, 0x80a0000, 0, 0)));
	}
	if (stage >= AFTER_INIT)
		REQUIRE(!ctrl_init(m.dev));
	if (stage == AFTER_RUN) {
		errno = 0;
		ret = tvm_run(&m.t, 0);
		/* the engine may be a stub (ENOSYS): only vGIC errnos fail */
		REQUIRE(ret == 0 ||
			(errno != ENXIO && errno != EINVAL && errno != EBUSY));
	}
	return m;
}

static void mvm_free(struct mvm *m)
{
	vkvm_close(m->dev);
	tvm_free(&m->t);
}

static void busy_begin(struct mvm *m)
{
	pthread_mutex_lock(&m->busy->mutex);
}

static void busy_end(struct mvm *m)
{
	pthread_mutex_unlock(&m->busy->mutex);
}

static const uint32_t both[] = { V2, V3 };

TEST(matrix_create_vcpu)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			if (s == BEFORE_INIT)
				EXPECT(tvm_add_vcpu(&m.t, 2) >= 0);
			else
				EXPECT_ERRNO(tvm_add_vcpu(&m.t, 2), EBUSY);
			mvm_free(&m);
		}
	}
}

TEST(matrix_second_vgic)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			EXPECT_ERRNO(create_dev(m.t.vm, V2, 0), EEXIST);
			EXPECT_ERRNO(create_dev(m.t.vm, V3, 0), EEXIST);
			busy_begin(&m);
			EXPECT_ERRNO(create_dev(m.t.vm, both[i], 0), EBUSY);
			busy_end(&m);
			mvm_free(&m);
		}
	}
}

/* ADDR SET: accepted in every stage and not checked against busy vCPUs. */
TEST(matrix_addr_set)
{
	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V3, s);

		busy_begin(&m);
		EXPECT_OK(attr_set64(m.dev, GRP_ADDR,
				     KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				     rdist_region(1, 0x9000000, 0, 1)));
		busy_end(&m);
		mvm_free(&m);
	}
	for (int s = 0; s < AFTER_RUN; s++) {
		struct tvm t = tvm_new(2);
		int dev = create_dev(t.vm, V2, 0);
		struct vcpu *busy = tvm_vcpu_obj(t.vcpu_fd[1]);

		REQUIRE(dev > 0);
		if (s == AFTER_INIT)
			EXPECT_OK(ctrl_init(dev));
		pthread_mutex_lock(&busy->mutex);
		EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST,
				     0x8000000));
		pthread_mutex_unlock(&busy->mutex);
		vkvm_close(dev);
		tvm_free(&t);
	}
}

TEST(matrix_addr_get)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);
			uint64_t attr = both[i] == V2 ?
						KVM_VGIC_V2_ADDR_TYPE_DIST :
						KVM_VGIC_V3_ADDR_TYPE_DIST;

			busy_begin(&m);
			EXPECT_EQ(attr_get64(m.dev, GRP_ADDR, attr), 0x8000000);
			busy_end(&m);
			mvm_free(&m);
		}
	}
}

TEST(matrix_nr_irqs_set)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			busy_begin(&m);
			if (s == BEFORE_INIT) {
				EXPECT_OK(attr_set32(
					m.dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
					128));
			}
			EXPECT_ERRNO(attr_set32(m.dev,
						KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
						128),
				     EBUSY);
			busy_end(&m);
			mvm_free(&m);
		}
	}
}

TEST(matrix_nr_irqs_get)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			busy_begin(&m);
			EXPECT_EQ(attr_get32(m.dev,
					     KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0),
				  s == BEFORE_INIT ? 32 : 256);
			busy_end(&m);
			mvm_free(&m);
		}
	}
}

TEST(matrix_ctrl_init)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			EXPECT_OK(ctrl_init(m.dev));
			mvm_free(&m);
		}
	}
}

TEST(matrix_v3_save_pending_tables)
{
	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V3, s);
		uint64_t a = KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES;

		if (s == BEFORE_INIT)
			EXPECT_ERRNO(attr_set(m.dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
					      a, NULL),
				     ENXIO);
		else
			EXPECT_OK(attr_set(m.dev, KVM_DEV_ARM_VGIC_GRP_CTRL, a,
					   NULL));
		busy_begin(&m);
		EXPECT_ERRNO(attr_set(m.dev, KVM_DEV_ARM_VGIC_GRP_CTRL, a,
				      NULL),
			     EBUSY);
		busy_end(&m);
		mvm_free(&m);
	}
}

TEST(matrix_v2_dist_cpu_regs)
{
	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V2, s);
		uint32_t v = 0;

		busy_begin(&m);
		EXPECT_ERRNO(attr_get(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				      GICD_CTLR, &v),
			     EBUSY);
		EXPECT_ERRNO(attr_set(m.dev, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 0,
				      &v),
			     EBUSY);
		busy_end(&m);
		EXPECT_OK(attr_get(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				   GICD_CTLR, &v));
		EXPECT_OK(
			attr_set(m.dev, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 0, &v));
		/* the access initialized the vGIC */
		EXPECT_ERRNO(tvm_add_vcpu(&m.t, 2), EBUSY);
		mvm_free(&m);
	}
}

TEST(matrix_v3_register_groups)
{
	static const struct {
		uint32_t group;
		uint64_t attr;
		unsigned int size;
	} regs[] = {
		{ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, 4 },
		{ KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, GICR_CTLR, 4 },
		{ KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, ICC_PMR_EL1, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, 32, 4 },
	};

	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V3, s);

		for (int r = 0; r < 4; r++) {
			uint64_t v = 0;

			if (s == BEFORE_INIT)
				EXPECT_ERRNO(attr_get(m.dev, regs[r].group,
						      regs[r].attr, &v),
					     EBUSY);
			else
				EXPECT_OK(attr_get(m.dev, regs[r].group,
						   regs[r].attr, &v));
			busy_begin(&m);
			EXPECT_ERRNO(attr_get(m.dev, regs[r].group,
					      regs[r].attr, &v),
				     EBUSY);
			busy_end(&m);
		}
		/* GICD_IIDR and GICD_TYPER2 are readable in every stage */
		EXPECT(attr_get32(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  GICD_IIDR) != ~0U);
		EXPECT(attr_get32(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				  GICD_TYPER2) != ~0U);
		mvm_free(&m);
	}
}

TEST(matrix_v3_typer2_write)
{
	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V3, s);
		uint32_t t2 = attr_get32(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
					 GICD_TYPER2);
		uint32_t flip = t2 ^ (1U << 8);

		if (s == BEFORE_INIT) {
			EXPECT_OK(attr_set32(m.dev,
					     KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
					     GICD_TYPER2, t2));
		} else {
			EXPECT_ERRNO(attr_set32(m.dev,
						KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
						GICD_TYPER2, flip),
				     EBUSY);
		}
		busy_begin(&m);
		EXPECT_ERRNO(attr_set32(m.dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
					GICD_TYPER2, t2),
			     EBUSY);
		busy_end(&m);
		mvm_free(&m);
	}
}

TEST(matrix_v3_maint_irq_set)
{
	for (int s = 0; s < NR_STAGES; s++) {
		struct mvm m = mvm_new(V3, s);

		busy_begin(&m);
		if (s == BEFORE_INIT)
			EXPECT_OK(attr_set32(
				m.dev, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 0, 25));
		else
			EXPECT_ERRNO(attr_set32(m.dev,
						KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ,
						0, 25),
				     EBUSY);
		busy_end(&m);
		mvm_free(&m);
	}
}

TEST(matrix_irq_line_spi_ppi)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);

			busy_begin(&m);
			if (s == BEFORE_INIT && both[i] == V3) {
				EXPECT_ERRNO(irq_line(m.t.vm, irq_spi(40), 1),
					     EBUSY);
				EXPECT_ERRNO(irq_line(m.t.vm, irq_ppi(1, 20),
						      1),
					     EBUSY);
			} else {
				EXPECT_OK(irq_line(m.t.vm, irq_spi(40), 1));
				EXPECT_OK(irq_line(m.t.vm, irq_ppi(1, 20), 1));
			}
			busy_end(&m);
			mvm_free(&m);
		}
	}
}

TEST(matrix_kvm_run)
{
	for (int i = 0; i < 2; i++) {
		for (int s = 0; s < NR_STAGES; s++) {
			struct mvm m = mvm_new(both[i], s);
			int ret;

			errno = 0;
			ret = tvm_run(&m.t, 1);
			if (s == BEFORE_INIT && both[i] == V3) {
				EXPECT_EQ(ret, -1);
				EXPECT_EQ(errno, EBUSY);
			} else {
				EXPECT(ret == 0 ||
				       (errno != ENXIO && errno != EINVAL &&
					errno != EBUSY));
			}
			mvm_free(&m);
		}
	}
}
