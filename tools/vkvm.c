// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vkvm.c: the `vkvm` command: boot a QEMU-virt guest on libvkvm.  Uses
 * the public API only (<vkvm/vkvm.h>); see docs/vkvm.1.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include <string.h>

#include "../src/vmm/machine.h"
#include "../src/vmm/snapshot_run.h"

int main(int argc, char **argv)
{
	struct vmm_options opt;
	struct vmm vmm;
	bool done = false;
	sigset_t held;
	int ret;

	/* SIGUSR1 asks for a snapshot, SIGUSR2 for the migration: held from
	 * the start, read by run.c */
	sigemptyset(&held);
	sigaddset(&held, SIGUSR1);
	sigaddset(&held, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &held, NULL);
	if (argc > 1 && !strcmp(argv[1], "inspect"))
		return vmm_cmd_inspect(argc - 1, argv + 1);
	/* A stop signal that comes while the guest is being set up is held
	 * too, so run.c's main loop sees it and stops the guest cleanly
	 * (exit 6) instead of the default action killing us. */
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	if (argc > 1 && !strcmp(argv[1], "restore")) {
		signal(SIGPIPE, SIG_IGN);
		pthread_sigmask(SIG_BLOCK, &held, NULL);
		return vmm_cmd_restore(argc - 1, argv + 1);
	}
	switch (vmm_parse_args(argc, argv, &opt, stdout, stderr)) {
	case VMM_PARSE_DONE:
		return 0;
	case VMM_PARSE_ERROR:
		return VMM_EXIT_USAGE;
	default:
		break;
	}
	/* a closed stdout must not kill us before the terminal is restored */
	signal(SIGPIPE, SIG_IGN);
	if (opt.incoming)
		return vmm_cmd_incoming(&opt);
	pthread_sigmask(SIG_BLOCK, &held, NULL);
	ret = vmm_machine_create(&vmm, &opt);
	if (!ret)
		ret = vmm_boot_prepare(&vmm, &done);
	if (!ret && !done)
		ret = vmm_machine_run(&vmm);
	vmm_machine_destroy(&vmm);
	return ret;
}
