// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fd_table_thread_test.c: the fd table under concurrency (run under TSan
 * too): lookups racing with creates, closes and table growth, and ioctls
 * racing with the close of their own fd.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <vkvm/vkvm.h>

#include "lib/test.h"

#define WORKERS 4
#define ROUNDS 50
#define FDS_PER_ROUND 40 /* 4 x 40 open at once: the table must grow */

struct churn {
	int kvm;
	int bad; /* results that were not what Linux would give */
};

/* Create FDS_PER_ROUND VMs, query each, close them; ROUNDS times. */
static void *churn_worker(void *arg)
{
	struct churn *c = arg;
	int vm[FDS_PER_ROUND];

	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < FDS_PER_ROUND; i++) {
			vm[i] = vkvm_ioctl(c->kvm, KVM_CREATE_VM, 0);
			if (vm[i] < 0)
				c->bad++;
		}
		for (int i = 0; i < FDS_PER_ROUND; i++) {
			if (vm[i] < 0)
				continue;
			if (vkvm_ioctl(vm[i], KVM_CHECK_EXTENSION,
				       KVM_CAP_USER_MEMORY) != 1)
				c->bad++;
			if (vkvm_close(vm[i]) != 0)
				c->bad++;
		}
	}
	return NULL;
}

struct reader {
	int vcpu;
	atomic_bool *stop;
	long calls;
	int bad;
};

/* Look up one long-lived vCPU fd until told to stop. */
static void *reader_worker(void *arg)
{
	struct reader *rd = arg;

	while (!atomic_load(rd->stop)) {
		struct kvm_mp_state mp;

		if (vkvm_ioctl(rd->vcpu, KVM_GET_MP_STATE, &mp) != 0)
			rd->bad++;
		rd->calls++;
	}
	return NULL;
}

TEST(lookups_stay_right_while_other_fds_come_and_go)
{
	int kvm = vkvm_open(), vm, vcpu;
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	pthread_t churn_t[WORKERS], reader_t[2];
	struct churn churn[WORKERS];
	struct reader rd[2];
	atomic_bool stop = false;

	REQUIRE(kvm >= 0);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	REQUIRE(vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0);
	for (int i = 0; i < 2; i++) {
		rd[i] = (struct reader){ .vcpu = vcpu, .stop = &stop };
		REQUIRE(pthread_create(&reader_t[i], NULL, reader_worker,
				       &rd[i]) == 0);
	}
	for (int i = 0; i < WORKERS; i++) {
		churn[i] = (struct churn){ .kvm = kvm };
		REQUIRE(pthread_create(&churn_t[i], NULL, churn_worker,
				       &churn[i]) == 0);
	}
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(churn_t[i], NULL);
		EXPECT_EQ(churn[i].bad, 0);
	}
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++) {
		pthread_join(reader_t[i], NULL);
		EXPECT_EQ(rd[i].bad, 0);
		EXPECT(rd[i].calls > 0);
	}
	EXPECT_OK(vkvm_close(vcpu));
	EXPECT_OK(vkvm_close(vm));
	EXPECT_OK(vkvm_close(kvm));
}

struct racer {
	int fd;
	atomic_int *started;
	int bad;
};

/*
 * Call KVM_CHECK_EXTENSION on an fd that another thread closes.  Each call
 * either reaches the VM (answer 1) or fails as Linux would on a closed fd
 * (EBADF), or on a number the process reused for another file (ENOTTY).
 */
static void *racer_worker(void *arg)
{
	struct racer *rc = arg;

	atomic_fetch_add(rc->started, 1);
	for (int i = 0; i < 2000; i++) {
		int r = vkvm_ioctl(rc->fd, KVM_CHECK_EXTENSION,
				   KVM_CAP_USER_MEMORY);

		if (r != 1 && !(r == -1 && (errno == EBADF || errno == ENOTTY)))
			rc->bad++;
	}
	return NULL;
}

TEST(ioctls_racing_the_close_of_their_fd_are_safe)
{
	int kvm = vkvm_open();

	REQUIRE(kvm >= 0);
	for (int round = 0; round < 20; round++) {
		atomic_int started = 0;
		struct racer rc[2];
		pthread_t t[2];
		int vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);

		REQUIRE(vm >= 0);
		for (int i = 0; i < 2; i++) {
			rc[i] = (struct racer){ .fd = vm, .started = &started };
			REQUIRE(pthread_create(&t[i], NULL, racer_worker,
					       &rc[i]) == 0);
		}
		while (atomic_load(&started) < 2)
			;
		EXPECT_OK(vkvm_close(vm));
		for (int i = 0; i < 2; i++) {
			pthread_join(t[i], NULL);
			EXPECT_EQ(rc[i].bad, 0);
		}
	}
	EXPECT_OK(vkvm_close(kvm));
}
