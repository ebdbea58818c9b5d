// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_run.c: snapshots of a running `vkvm run` machine: the vCPU
 * threads park out of KVM_RUN at a consistent point (the last exit
 * completed with an immediate_exit KVM_RUN, as Linux's api.rst asks
 * before state is read), the state goes to FILE.tmp which is renamed over
 * FILE, and the vCPUs go on.  Also the view of a `struct vmm` that
 * vm_state.c saves and restores.
 */
#include "snapshot_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device_state.h"
#include "layout.h"

#define PAUSE_TIMEOUT_SEC 10

void vmm_vcpu_park(struct vmm_vcpu *vcpu)
{
	struct vmm *vmm = vcpu->vmm;

	/* finish the last exit's MMIO before the state is read */
	vcpu->run->immediate_exit = 1;
	if (vkvm_ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
		/* EINTR is the expected answer */
	}
	vcpu->run->immediate_exit = 0;
	pthread_mutex_lock(&vmm->pause_lock);
	vmm->nr_paused++;
	pthread_cond_broadcast(&vmm->pause_cond);
	while (atomic_load(&vmm->pause_req) && !atomic_load(&vmm->stopping))
		pthread_cond_wait(&vmm->pause_cond, &vmm->pause_lock);
	vmm->nr_paused--;
	pthread_mutex_unlock(&vmm->pause_lock);
}

static unsigned int nr_started(const struct vmm *vmm)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		n += vmm->vcpus[i].started;
	return n;
}

bool vmm_pause_vcpus(struct vmm *vmm)
{
	struct timespec until;
	unsigned int want = nr_started(vmm);
	int ret = 0;

	atomic_store(&vmm->pause_req, true);
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		if (vmm->vcpus[i].started)
			vkvm_kick_vcpu(vmm->vcpus[i].fd);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PAUSE_TIMEOUT_SEC;
	pthread_mutex_lock(&vmm->pause_lock);
	while (vmm->nr_paused < want && ret != ETIMEDOUT &&
	       !atomic_load(&vmm->stopping))
		ret = pthread_cond_timedwait(&vmm->pause_cond, &vmm->pause_lock,
					     &until);
	ret = vmm->nr_paused == want;
	pthread_mutex_unlock(&vmm->pause_lock);
	return ret;
}

void vmm_resume_vcpus(struct vmm *vmm)
{
	pthread_mutex_lock(&vmm->pause_lock);
	atomic_store(&vmm->pause_req, false);
	pthread_cond_broadcast(&vmm->pause_cond);
	pthread_mutex_unlock(&vmm->pause_lock);
}

/* The command line, arguments separated by NUL bytes. */
static int join_cmdline(struct vmm_snap_view *v, const struct vmm_options *o)
{
	size_t len = 0;

	for (int i = 0; o->argv && i < o->argc; i++)
		len += strlen(o->argv[i]) + 1;
	if (len > SNAP_MAX_CMDLINE)
		len = 0; /* too long to record: leave it out */
	v->cmdline = malloc(len ? len : 1);
	if (!v->cmdline)
		return -ENOMEM;
	v->m.cmdline = v->cmdline;
	v->m.cmdline_len = (uint32_t)len;
	for (int i = 0, at = 0; len && i < o->argc; i++) {
		size_t n = strlen(o->argv[i]) + 1;

		memcpy(v->cmdline + at, o->argv[i], n);
		at += (int)n;
	}
	return 0;
}

int vmm_snap_view_init(struct vmm_snap_view *v, struct vmm *vmm)
{
	memset(v, 0, sizeof(*v));
	v->vcpus = calloc(vmm->nr_vcpus, sizeof(*v->vcpus));
	v->fds = calloc(vmm->nr_vcpus, sizeof(*v->fds));
	if (!v->vcpus || !v->fds || join_cmdline(v, vmm->opt)) {
		vmm_snap_view_free(v);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		v->vcpus[i] = (struct snap_vcpu_desc){ i, vmm->vcpus[i].mpidr };
		v->fds[i] = vmm->vcpus[i].fd;
	}
	v->m.nr_vcpus = vmm->nr_vcpus;
	v->m.gic_version = (uint32_t)vmm->opt->gic_version;
	v->m.nr_irqs = VIRT_NR_IRQS;
	v->m.gic_dist = VIRT_GIC_DIST_BASE;
	v->m.gic_cpu = v->m.gic_version == 3 ? VIRT_GIC_REDIST_BASE :
					       VIRT_GIC_CPU_BASE;
	v->m.vcpus = v->vcpus;
	v->m.ram[v->m.nr_ram] =
		(struct snap_ram_desc){ vmm->ram.base, vmm->ram.size, 0, 0 };
	v->ram[v->m.nr_ram++] = vmm->ram.host;
	if (vmm->flash) {
		v->m.ram[v->m.nr_ram] = (struct snap_ram_desc){
			VIRT_FLASH_BASE, vmm->flash_size, 1, KVM_MEM_READONLY
		};
		v->ram[v->m.nr_ram++] = vmm->flash;
	}
	v->vm = (struct vmm_state_vm){ vmm->kvm_fd, vmm->vm_fd, vmm->gic_fd,
				       v->fds,	    v->ram,	&v->m,
				       false };
	return 0;
}

void vmm_snap_view_free(struct vmm_snap_view *v)
{
	free(v->vcpus);
	free(v->fds);
	free(v->cmdline);
	memset(v, 0, sizeof(*v));
}

static int fd_sink(void *opaque, const void *buf, size_t len)
{
	return vmm_write_all(*(int *)opaque, buf, len);
}

int vmm_snapshot_save_file(struct vmm *vmm, const char *path,
			   struct vmm_err *err)
{
	struct snap_pl011 uart;
	struct snap_pl031 rtc;
	struct vmm_state_devices dev = { &uart, &rtc };
	struct vmm_snap_view v;
	struct snap_writer w;
	char tmp[4096];
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return vmm_errf(err, ENAMETOOLONG, "%s: name too long", path);
	if (vmm_snap_view_init(&v, vmm))
		return vmm_errf(err, ENOMEM, "out of memory");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = vmm_errf(err, errno, "%s: %s", tmp, strerror(errno));
		goto out_view;
	}
	vmm_pl011_get_state(&vmm->uart, &uart);
	vmm_pl031_get_state(&vmm->rtc, &rtc);
	w = (struct snap_writer){ fd_sink, &fd, 0, 0 };
	ret = vmm_state_save(&v.vm, &dev, &w, err);
	if (!ret && fsync(fd) < 0)
		ret = vmm_errf(err, errno, "%s: fsync: %s", tmp,
			       strerror(errno));
	close(fd);
	if (!ret && rename(tmp, path) < 0)
		ret = vmm_errf(err, errno, "%s: %s", path, strerror(errno));
	if (ret)
		unlink(tmp);
out_view:
	vmm_snap_view_free(&v);
	return ret;
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int vmm_snapshot_running(struct vmm *vmm)
{
	double t0 = now_sec();
	struct vmm_err err;
	int ret;

	if (!vmm->opt->snapshot) {
		fprintf(stderr,
			"\r\nvkvm: SIGUSR1: no --snapshot FILE given\r\n");
		return -EINVAL;
	}
	if (!vmm_pause_vcpus(vmm)) {
		vmm_resume_vcpus(vmm);
		fprintf(stderr,
			"\r\nvkvm: --snapshot: the vCPUs did not pause; "
			"no snapshot taken\r\n");
		return -ETIMEDOUT;
	}
	ret = vmm_snapshot_save_file(vmm, vmm->opt->snapshot, &err);
	/* said while the vCPUs are still parked: in a log of the console
	 * the line marks exactly where the snapshot was taken */
	if (ret)
		fprintf(stderr,
			"\r\nvkvm: --snapshot: %s (the guest goes on)\r\n",
			err.msg);
	else
		fprintf(stderr,
			"\r\nvkvm: snapshot saved to %s (vCPUs paused %.1f "
			"ms)\r\n",
			vmm->opt->snapshot, (now_sec() - t0) * 1e3);
	vmm_resume_vcpus(vmm);
	return ret;
}
