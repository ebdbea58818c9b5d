/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.h: the `vkvm` command line (getopt_long) and its checks. */
#ifndef VKVM_VMM_OPTIONS_H
#define VKVM_VMM_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

struct vmm_options {
	const char *kernel, *initrd, *append, *dtb, *bios, *dump_dtb;
	unsigned int smp;
	uint64_t ram_mib;
	int gic_version; /* 2 or 3 */
	unsigned int timeout_sec; /* 0: none */
	const char *snapshot; /* --snapshot FILE (also on SIGUSR1) */
	unsigned int snapshot_after_sec; /* 0: only on SIGUSR1 */
	const char *incoming; /* --incoming tcp:ADDR:PORT */
	const char *migrate_to; /* --migrate-to tcp:ADDR:PORT */
	unsigned int migrate_after_sec;
	int argc; /* the command line, recorded in snapshots */
	char **argv;
};

enum vmm_parse_result {
	VMM_PARSE_RUN, /* run a guest with the options */
	VMM_PARSE_DONE, /* --help or --version printed: exit 0 */
	VMM_PARSE_ERROR, /* message printed: exit 2 */
};

/*
 * vmm_parse_args - parse `vkvm run ...`, `vkvm --version` or `--help`.
 * Fills @o with the options and QEMU virt defaults (GICv2, 1 vCPU,
 * 128 MiB), checks every value and that every input file is readable.
 * Help and version go to @out; errors to @errf, naming the argument or
 * file at fault.
 */
enum vmm_parse_result vmm_parse_args(int argc, char **argv,
				     struct vmm_options *o, FILE *out,
				     FILE *errf);

#endif /* VKVM_VMM_OPTIONS_H */
