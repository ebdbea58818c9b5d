// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_signal_thread_test.c: KVM_SET_SIGNAL_MASK (its errnos, Linux's
 * kvm_vcpu_ioctl order) and signals as vCPU kicks: a signal delivered to
 * the thread inside KVM_RUN ends the run with EINTR / KVM_EXIT_INTR, as
 * VMMs (kvmtool, QEMU, Firecracker) kick vCPU threads with pthread_kill.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#include "api_helpers.h"

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (1ULL << 20)
#define REPORT_GPA 0x09000000ULL
#define SPIN_FOREVER (1ULL << 62)

#define X1_ID CORE_ID(regs.regs[1])

/*
 * loop: add x3, x3, #1; str x3, [x4] (RAM + PROGRESS_OFF); subs x1, x1, #1;
 * b.ne loop; str x1, [x2] (an MMIO exit); b .
 */
static const uint32_t prog_count[] = { 0x91000463, 0xf9000083, 0xf1000421,
				       0x54ffffa1, 0xf9000041, 0x14000000 };
#define PROGRESS_OFF 0x1000

static atomic_int handled;

static void on_kick(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
}

static int kick_sig(void)
{
	return SIGRTMIN + 1;
}

static void install_handler(void)
{
	struct sigaction sa = { .sa_handler = on_kick };

	sigemptyset(&sa.sa_mask);
	sigaction(kick_sig(), &sa, NULL);
	atomic_store(&handled, 0);
}

struct guest {
	struct th_guest t;
	int vcpu; /* t.vcpu */
	struct kvm_run *run; /* t.run */
	void *ram; /* t.ram */
	pthread_t thread;
	atomic_bool entering, done;
	long ret;
	int err;
	sigset_t thread_mask; /* the vCPU thread's own mask */
};

static int guest_make(struct guest *g, uint64_t count)
{
	memset(g, 0, sizeof(*g));
	if (th_guest_make(&g->t, RAM_GPA, RAM_SIZE, prog_count,
			  sizeof(prog_count)))
		return -1;
	g->vcpu = g->t.vcpu;
	g->run = g->t.run;
	g->ram = g->t.ram;
	return th_set64(g->vcpu, X1_ID, count) ||
			       th_set64(g->vcpu, CORE_ID(regs.regs[2]),
					REPORT_GPA) ||
			       th_set64(g->vcpu, CORE_ID(regs.regs[4]),
					RAM_GPA + PROGRESS_OFF) ?
		       -1 :
		       0;
}

static void guest_free(struct guest *g)
{
	th_guest_free(&g->t);
}

/* KVM_SET_SIGNAL_MASK with the kernel's 8-byte set @bits, which
 * follows the 4-byte len unaligned (struct kvm_signal_mask). */
static int set_mask_bits(int vcpu, uint32_t len, uint64_t bits)
{
	uint8_t m[sizeof(struct kvm_signal_mask) + sizeof(bits)];

	memcpy(m, &len, sizeof(len));
	memcpy(m + offsetof(struct kvm_signal_mask, sigset), &bits,
	       sizeof(bits));
	return vkvm_ioctl(vcpu, KVM_SET_SIGNAL_MASK, m);
}

static uint64_t sig_bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* The vCPU thread: its own mask, then one KVM_RUN. */
static void *vcpu_main(void *p)
{
	struct guest *g = p;

	pthread_sigmask(SIG_SETMASK, &g->thread_mask, NULL);
	atomic_store(&g->entering, true);
	g->ret = vkvm_ioctl(g->vcpu, KVM_RUN, 0);
	g->err = errno;
	atomic_store(&g->done, true);
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The guest's loop count so far (it stores it in RAM). */
static uint64_t progress(const struct guest *g)
{
	return __atomic_load_n((uint64_t *)((char *)g->ram + PROGRESS_OFF),
			       __ATOMIC_RELAXED);
}

/* Start the vCPU thread with kick_sig() blocked (or not) in its mask;
 * with @spinning, wait until the guest runs its loop (at most 5 s). */
static void start_vcpu(struct guest *g, bool block, bool spinning)
{
	sigemptyset(&g->thread_mask);
	if (block)
		sigaddset(&g->thread_mask, kick_sig());
	pthread_create(&g->thread, NULL, vcpu_main, g);
	while (!atomic_load(&g->entering))
		sleep_ms(1);
	for (int i = 0; spinning && !progress(g) && i < 5000; i++)
		sleep_ms(1);
}

/* Send kick_sig() to the vCPU thread every 2 ms until KVM_RUN returns
 * (at most 5 s); returns how many were sent. */
static int kick_until_done(struct guest *g)
{
	int sent = 0;

	while (!atomic_load(&g->done) && sent < 2500) {
		pthread_kill(g->thread, kick_sig());
		sent++;
		sleep_ms(2);
	}
	pthread_join(g->thread, NULL);
	return sent;
}

#define GUEST(g, count) REQUIRE(guest_make(&(g), (count)) == 0)

TEST(set_signal_mask_len_other_than_8_is_einval)
{
	struct guest g;

	GUEST(g, 1);
	EXPECT_ERRNO(set_mask_bits(g.vcpu, 4, 0), EINVAL);
	EXPECT_ERRNO(set_mask_bits(g.vcpu, 16, 0), EINVAL);
	EXPECT_ERRNO(set_mask_bits(g.vcpu, 128, 0), EINVAL);
	guest_free(&g);
}

TEST(set_signal_mask_unreadable_header_is_efault)
{
	struct guest g;

	GUEST(g, 1);
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_SET_SIGNAL_MASK, (void *)16),
		     EFAULT);
	guest_free(&g);
}

TEST(set_signal_mask_null_clears_and_needs_no_vcpu_init)
{
	int vm = th_vm(0), vcpu;

	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	EXPECT_OK(set_mask_bits(vcpu, 8, sig_bit(SIGUSR1)));
	EXPECT(((struct vcpu *)th_priv(vcpu))->sigmask_active);
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_SET_SIGNAL_MASK, NULL));
	EXPECT(!((struct vcpu *)th_priv(vcpu))->sigmask_active);
	vkvm_close(vcpu);
	vkvm_close(vm);
}

TEST(set_signal_mask_drops_sigkill_and_sigstop)
{
	struct guest g;
	const sigset_t *m;

	GUEST(g, 1);
	EXPECT_OK(set_mask_bits(g.vcpu, 8, ~0ULL));
	m = &((struct vcpu *)th_priv(g.vcpu))->sigmask;
	EXPECT(!sigismember(m, SIGKILL));
	EXPECT(!sigismember(m, SIGSTOP));
	EXPECT(sigismember(m, SIGUSR1));
	EXPECT(sigismember(m, 64));
	guest_free(&g);
}

/* kvmtool/Firecracker style: the kick signal is never blocked. */
TEST(signal_to_a_vcpu_thread_spinning_in_the_guest_ends_run_with_eintr)
{
	struct guest g;

	install_handler();
	GUEST(g, SPIN_FOREVER);
	start_vcpu(&g, false, true);
	EXPECT(progress(&g) != 0);
	kick_until_done(&g);
	EXPECT_EQ(g.ret, -1);
	EXPECT_EQ(g.err, EINTR);
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTR);
	EXPECT(atomic_load(&handled) >= 1);
	/* No exit is left half done: the next run goes on normally. */
	REQUIRE(th_set64(g.vcpu, X1_ID, 3) == 0);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_MMIO);
	EXPECT_EQ(g.run->mmio.phys_addr, REPORT_GPA);
	guest_free(&g);
}

/* QEMU style: blocked in the thread, let through by the run's mask, so a
 * signal sent before KVM_RUN is not lost: one pthread_kill is enough. */
TEST(signal_let_through_by_the_run_mask_is_never_lost)
{
	struct guest g;

	install_handler();
	GUEST(g, SPIN_FOREVER);
	REQUIRE(set_mask_bits(g.vcpu, 8, 0) == 0);
	start_vcpu(&g, true, false);
	pthread_kill(g.thread, kick_sig());
	for (int i = 0; i < 2500 && !atomic_load(&g.done); i++)
		sleep_ms(2);
	EXPECT(atomic_load(&g.done));
	if (!atomic_load(&g.done))
		vkvm_kick_vcpu(g.vcpu);
	pthread_join(g.thread, NULL);
	EXPECT_EQ(g.ret, -1);
	EXPECT_EQ(g.err, EINTR);
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTR);
	EXPECT_EQ(atomic_load(&handled), 1);
	guest_free(&g);
}

TEST(signal_pending_at_entry_returns_eintr_before_the_guest_runs)
{
	struct guest g;
	sigset_t block, old;

	install_handler();
	GUEST(g, SPIN_FOREVER);
	sigemptyset(&block);
	sigaddset(&block, kick_sig());
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_kill(pthread_self(), kick_sig());
	REQUIRE(set_mask_bits(g.vcpu, 8, 0) == 0);
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_RUN, 0), EINTR);
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTR);
	EXPECT_EQ(atomic_load(&handled), 1);
	EXPECT_EQ(th_get64(g.vcpu, X1_ID), SPIN_FOREVER); /* not one step */
	EXPECT_EQ(progress(&g), 0);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	guest_free(&g);
}

/* A signal the run's mask blocks stays pending and does not end the run
 * (a kick does); the handler has not run. */
TEST(signal_blocked_by_the_run_mask_does_not_interrupt)
{
	struct guest g;
	int sig = kick_sig();

	install_handler();
	GUEST(g, SPIN_FOREVER);
	REQUIRE(set_mask_bits(g.vcpu, 8, sig_bit(sig)) == 0);
	start_vcpu(&g, true, true);
	pthread_kill(g.thread, sig);
	sleep_ms(100);
	EXPECT(!atomic_load(&g.done));
	vkvm_kick_vcpu(g.vcpu);
	pthread_join(g.thread, NULL);
	EXPECT_EQ(g.ret, -1);
	EXPECT_EQ(g.err, EINTR);
	EXPECT_EQ(atomic_load(&handled), 0);
	guest_free(&g);
}
