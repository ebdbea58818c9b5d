// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run.c: run the machine: console, vCPU threads, and the main thread
 * waiting for a stop request, a signal, the --timeout or the RTC alarm.
 * Stopping kicks every vCPU out of KVM_RUN (vkvm_kick_vcpu), joins the
 * threads and restores the terminal.
 */
#include "machine.h"
#include "snapshot_run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int start_vcpus(struct vmm *vmm)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		struct vmm_vcpu *vcpu = &vmm->vcpus[i];
		int ret = pthread_create(&vcpu->thread, NULL, vmm_vcpu_thread,
					 vcpu);

		if (ret) {
			fprintf(stderr, "vkvm: vCPU %u thread: %s\n", i,
				strerror(ret));
			vmm_request_stop(vmm, VMM_EXIT_HOST_ERROR, NULL);
			return -1;
		}
		vcpu->started = true;
	}
	return 0;
}

static void stop_vcpus(struct vmm *vmm)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		if (vmm->vcpus[i].started)
			vkvm_kick_vcpu(vmm->vcpus[i].fd);
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		if (vmm->vcpus[i].started)
			pthread_join(vmm->vcpus[i].thread, NULL);
		vmm->vcpus[i].started = false;
	}
}

/* How long the main loop may sleep (ms, -1 forever). */
static int wait_ms(struct vmm *vmm, int64_t deadline)
{
	int ms = vmm_pl031_poll(&vmm->rtc);

	if (deadline >= 0) {
		int64_t left = deadline - now_ms();

		if (left < 0)
			left = 0;
		if (ms < 0 || left < ms)
			ms = (int)(left > 1000000 ? 1000000 : left);
	}
	return ms;
}

static void on_signal(struct vmm *vmm, int sfd)
{
	struct signalfd_siginfo si;
	char msg[64];

	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1) { /* snapshot and go on */
		vmm_snapshot_running(vmm);
		return;
	}
	if (si.ssi_signo == SIGUSR2) { /* migrate now */
		if (vmm->opt->migrate_to)
			vmm_migrate_out(vmm);
		else
			fprintf(stderr, "\r\nvkvm: SIGUSR2: no --migrate-to "
					"given\r\n");
		return;
	}
	snprintf(msg, sizeof(msg), "stopped by signal %u (%s)", si.ssi_signo,
		 strsignal((int)si.ssi_signo));
	vmm_request_stop(vmm, VMM_EXIT_QUIT, msg);
}

static int64_t after_sec(unsigned int sec)
{
	return sec ? now_ms() + (int64_t)sec * 1000 : -1;
}

/* The earlier of two deadlines (-1: none). */
static int64_t earliest(int64_t a, int64_t b)
{
	return a < 0 || (b >= 0 && b < a) ? b : a;
}

/* Whether the one-shot deadline *@at has come (then it is cleared). */
static bool due(int64_t *at)
{
	if (*at < 0 || now_ms() < *at)
		return false;
	*at = -1;
	return true;
}

static void drain_events(struct vmm *vmm)
{
	char buf[64];

	while (read(vmm->event[0], buf, sizeof(buf)) > 0)
		;
}

static void main_loop(struct vmm *vmm, int sfd)
{
	const struct vmm_options *o = vmm->opt;
	int64_t deadline = after_sec(o->timeout_sec);
	int64_t snap_at = after_sec(o->snapshot_after_sec);
	int64_t mig_at = o->migrate_to ?
				 after_sec(o->migrate_after_sec ?
						   o->migrate_after_sec :
						   1) :
				 -1;
	char msg[64];

	while (!atomic_load(&vmm->stopping)) {
		struct pollfd fds[2] = { { vmm->event[0], POLLIN, 0 },
					 { sfd, POLLIN, 0 } };
		int64_t wake = earliest(earliest(deadline, snap_at), mig_at);

		if (poll(fds, 2, wait_ms(vmm, wake)) < 0 && errno != EINTR)
			break;
		if (fds[0].revents) /* a stop, or a device wants a new wait */
			drain_events(vmm);
		if (fds[1].revents)
			on_signal(vmm, sfd);
		if (due(&snap_at))
			vmm_snapshot_running(vmm);
		if (due(&mig_at))
			vmm_migrate_out(vmm);
		if (due(&deadline)) {
			snprintf(msg, sizeof(msg), "--timeout %u s expired",
				 o->timeout_sec);
			vmm_request_stop(vmm, VMM_EXIT_TIMEOUT, msg);
		}
	}
}

int vmm_machine_run(struct vmm *vmm)
{
	sigset_t set, old;
	int sfd, ret;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1); /* --snapshot: save and go on */
	sigaddset(&set, SIGUSR2); /* --migrate-to: now */
	/* the threads inherit the mask: only the signalfd sees these */
	pthread_sigmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "vkvm: signalfd: %s\n", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return VMM_EXIT_HOST_ERROR;
	}
	ret = vmm_console_start(vmm);
	if (ret)
		vmm_request_stop(vmm, ret, NULL);
	else
		start_vcpus(vmm);
	main_loop(vmm, sfd);
	vmm_request_stop(vmm, VMM_EXIT_HOST_ERROR, "main loop failed");
	stop_vcpus(vmm);
	vmm_console_stop(vmm);
	close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return vmm->exit_code;
}
