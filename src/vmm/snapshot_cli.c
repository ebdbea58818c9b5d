// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_cli.c: `vkvm inspect FILE [--json]` and `vkvm restore FILE
 * [--timeout SEC]`.  Exit status: 0 as for run (or inspect printed the
 * file), 2 bad arguments or unreadable file, 7 invalid snapshot, 1 host
 * error; a restored guest then ends with run's statuses (docs/vkvm.1).
 */
#include "snapshot_run.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "device_state.h"
#include "inspect.h"
#include "layout.h"

#define SNAP_FILE_MAX ((size_t)1 << 40)
#define TIMEOUT_MAX_SEC (365U * 24 * 3600)

struct cli_args {
	const char *file;
	bool json;
	unsigned int timeout_sec;
};

static const struct option cli_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cli_usage(const char *cmd, const char *why)
{
	fprintf(stderr, "vkvm: %s: %s\n", cmd, why);
	fprintf(stderr, "usage: vkvm inspect FILE [--json]\n"
			"       vkvm restore FILE [--timeout SEC]\n");
	return VMM_EXIT_USAGE;
}

/* Options allowed: --json for inspect, --timeout for restore. */
static int parse_cli(int argc, char **argv, bool inspect, struct cli_args *a)
{
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:h", cli_opts, NULL)) != -1) {
		if (c == 'h')
			return cli_usage(argv[0], "help");
		if (c == 'j' && inspect) {
			a->json = true;
		} else if (c == 't' && !inspect) {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*optarg < '0' || *optarg > '9' || *end || !v ||
			    v > TIMEOUT_MAX_SEC)
				return cli_usage(argv[0], "--timeout: not a "
							  "number of seconds "
							  "(1 or more)");
			a->timeout_sec = (unsigned int)v;
		} else if (c == 'j' || c == 't') {
			fprintf(stderr,
				"vkvm: %s: --%s is not an option of "
				"this command\n",
				argv[0], c == 'j' ? "json" : "timeout");
			return VMM_EXIT_USAGE;
		} else {
			fprintf(stderr, "vkvm: %s: %s: %s\n", argv[0],
				argv[optind - 1],
				c == ':' ? "missing value" : "unknown option");
			return VMM_EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage(argv[0], optind < argc ?
						  "exactly one FILE, please" :
						  "FILE is required");
	a->file = argv[optind];
	return 0;
}

/* Read and parse @path; the exit status on failure, with a message. */
static int load(const char *cmd, const char *path, struct vmm_blob *blob,
		struct snap_file *f)
{
	struct vmm_err err;
	int ret;

	if (vmm_read_file(path, SNAP_FILE_MAX, blob, &err)) {
		fprintf(stderr, "vkvm: %s: %s\n", cmd, err.msg);
		return VMM_EXIT_USAGE;
	}
	ret = snap_parse(blob->data, blob->size, f, &err);
	if (ret) {
		fprintf(stderr, "vkvm: %s: %s: invalid snapshot: %s\n", cmd,
			path, err.msg);
		vmm_blob_free(blob);
		return ret == -ENOMEM ? VMM_EXIT_HOST_ERROR :
					VMM_EXIT_BAD_SNAPSHOT;
	}
	return 0;
}

int vmm_cmd_inspect(int argc, char **argv)
{
	struct cli_args a;
	struct vmm_blob blob;
	struct snap_file f;
	int ret = parse_cli(argc, argv, true, &a);

	if (ret)
		return ret;
	ret = load("inspect", a.file, &blob, &f);
	if (ret)
		return ret;
	if (vmm_inspect_print(&f, stdout, a.json)) {
		fprintf(stderr, "vkvm: inspect: out of memory\n");
		ret = VMM_EXIT_HOST_ERROR;
	}
	snap_file_free(&f);
	vmm_blob_free(&blob);
	return ret;
}

/* A snapshot `vkvm restore` can rebuild: the virt layout of `vkvm run`. */
static const char *not_virt(const struct snap_machine *m)
{
	const struct snap_ram_desc *r = &m->ram[0];
	uint32_t max = m->gic_version == 2 ? VIRT_MAX_CPUS_GICV2 :
					     VIRT_MAX_CPUS_GICV3;

	if (m->nr_irqs != VIRT_NR_IRQS || m->gic_dist != VIRT_GIC_DIST_BASE ||
	    m->gic_cpu != (m->gic_version == 3 ? VIRT_GIC_REDIST_BASE :
						 VIRT_GIC_CPU_BASE))
		return "GIC layout";
	if (m->nr_vcpus > max)
		return "vCPU count";
	for (uint32_t i = 0; i < m->nr_vcpus; i++)
		if (m->vcpus[i].id != i)
			return "vCPU ids";
	if (r->gpa != VIRT_RAM_BASE || r->size % (1 << 20) || r->flags ||
	    r->size >> 20 > VIRT_RAM_MAX_MIB || m->nr_ram > 2)
		return "RAM layout";
	if (m->nr_ram == 2 &&
	    (m->ram[1].gpa != VIRT_FLASH_BASE ||
	     m->ram[1].size != VIRT_FLASH_SIZE || m->ram[1].slot != 1 ||
	     m->ram[1].flags != KVM_MEM_READONLY))
		return "flash layout";
	return NULL;
}

static int set_slot(struct vmm *vmm, uint32_t slot, uint32_t flags,
		    uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = { slot, flags, gpa, size,
						 (uint64_t)(uintptr_t)host };

	if (vkvm_ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) == 0)
		return 0;
	fprintf(stderr, "vkvm: restore: KVM_SET_USER_MEMORY_REGION: %s\n",
		strerror(errno));
	return VMM_EXIT_HOST_ERROR;
}

static int map_memory(struct vmm *vmm, const struct snap_machine *m)
{
	void *p;
	int ret = set_slot(vmm, 0, 0, vmm->ram.base, vmm->ram.size,
			   vmm->ram.host);

	if (ret || m->nr_ram < 2)
		return ret;
	p = mmap(NULL, VIRT_FLASH_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "vkvm: restore: flash: %s\n", strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	vmm->flash = p;
	vmm->flash_size = VIRT_FLASH_SIZE;
	return set_slot(vmm, 1, KVM_MEM_READONLY, VIRT_FLASH_BASE,
			VIRT_FLASH_SIZE, p);
}

/* Machine, memory, vGIC, then the saved state (vm_state.c's order). */
static int rebuild(struct vmm *vmm, const struct snap_file *f)
{
	struct vmm_snap_view v;
	struct vmm_err err;
	int ret;

	ret = map_memory(vmm, &f->m);
	if (!ret)
		ret = vmm_gic_create(vmm);
	if (ret)
		return ret;
	if (vmm_snap_view_init(&v, vmm)) {
		fprintf(stderr, "vkvm: restore: out of memory\n");
		return VMM_EXIT_HOST_ERROR;
	}
	ret = vmm_state_restore(&v.vm, f, &err);
	vmm_snap_view_free(&v);
	if (ret) {
		fprintf(stderr, "vkvm: restore: %s\n", err.msg);
		return ret == -EINVAL ? VMM_EXIT_BAD_SNAPSHOT :
					VMM_EXIT_HOST_ERROR;
	}
	if (f->has_pl011)
		vmm_pl011_set_state(&vmm->uart, &f->pl011);
	if (f->has_pl031)
		vmm_pl031_set_state(&vmm->rtc, &f->pl031);
	return 0;
}

int vmm_restore_check(const struct snap_file *f, const char *from)
{
	const char *bad = not_virt(&f->m);

	if (!bad)
		return 0;
	fprintf(stderr, "vkvm: %s: not a `vkvm run` snapshot (%s)\n", from,
		bad);
	return VMM_EXIT_BAD_SNAPSHOT;
}

int vmm_restore_machine(struct vmm *vmm, struct vmm_options *opt,
			const struct snap_file *f)
{
	unsigned int timeout = opt->timeout_sec;
	int ret;

	memset(opt, 0, sizeof(*opt));
	opt->smp = f->m.nr_vcpus;
	opt->ram_mib = f->m.ram[0].size >> 20;
	opt->gic_version = (int)f->m.gic_version;
	opt->timeout_sec = timeout;
	ret = vmm_machine_create(vmm, opt);
	if (!ret)
		ret = rebuild(vmm, f);
	return ret;
}

int vmm_cmd_restore(int argc, char **argv)
{
	struct vmm_options opt = { 0 };
	struct cli_args a;
	struct vmm_blob blob;
	struct snap_file f;
	struct vmm vmm;
	int ret = parse_cli(argc, argv, false, &a);

	if (ret || (ret = load("restore", a.file, &blob, &f)))
		return ret;
	ret = vmm_restore_check(&f, a.file);
	if (ret) {
		snap_file_free(&f);
		vmm_blob_free(&blob);
		return ret;
	}
	opt.timeout_sec = a.timeout_sec;
	ret = vmm_restore_machine(&vmm, &opt, &f);
	snap_file_free(&f);
	vmm_blob_free(&blob);
	if (!ret)
		ret = vmm_machine_run(&vmm);
	vmm_machine_destroy(&vmm);
	return ret;
}
