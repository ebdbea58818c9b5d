// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runner.c: a minimal test VMM for the guest programs (public API only).
 *
 *   runner [-n NCPUS] [-g 2|3] [-r ID=VALUE]... [-L] PROGRAM.bin
 *
 * -r sets the 64-bit ONE_REG ID to VALUE on every vCPU before the first
 * run (for example a FW register: 0x6030000000140000 is the PSCI version).
 * What the FW registers, CLIDR_EL1, CTR_EL0 and the DEMUX CCSIDRs read
 * back then is left for the guest in a mailbox below the load address
 * (tests/guest/lib/guest.h, struct mailbox).
 *
 * Loads the raw program at RAM base + 0x80000 of a virt-like machine
 * (128 MiB at 0x40000000), runs each vCPU in its own thread (vCPU 0 at
 * the entry, the others powered off for PSCI CPU_ON), emulates the PL011
 * through MMIO exits (TX to stdout, FR, identification registers) and
 * stops at the PSCI system event.  -L lowers ID_AA64ISAR0_EL1.AES by
 * one on every vCPU through KVM_SET_ONE_REG before the first run and
 * prints the value set ("runner: ID_AA64ISAR0_EL1 0x...", stderr), which
 * run.sh compares with what the guest prints.  Exit status 0 on SHUTDOWN, 1 on a
 * setup error, 2 on an internal error exit, 3 on a timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vkvm/vkvm.h>

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (128ULL << 20)
#define LOAD_OFF 0x80000ULL
#define UART_GPA 0x09000000ULL
#define UART_SIZE 0x1000ULL
#define GICD_GPA 0x08000000ULL
#define GICC_GPA 0x08010000ULL
#define GICR_GPA 0x080a0000ULL
#define MAX_CPUS 8
#define TIMEOUT_S 60
#define MAX_REGS 16
#define MAILBOX_OFF 0x7f000ULL
#define MAILBOX_MAGIC 0x21215746766b766bULL
#define FW_REG(n) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | (n))
#define SYSREG(op0, op1, crn, crm, op2)                            \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 ((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define CCSIDR_REG(sel)                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | \
	 KVM_REG_ARM_DEMUX_ID_CCSIDR | (sel))
#define MAILBOX_CCSIDRS 16

/* The guest's copy: tests/guest/lib/guest.h struct mailbox. */
struct mailbox {
	uint64_t magic;
	uint64_t psci, wa[3];
	uint64_t clidr, ctr;
	uint64_t ccsidr[MAILBOX_CCSIDRS];
};

#define CORE_ID(field)                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(field))

struct machine {
	int kvm, vm;
	size_t run_size;
	int ncpus;
	int gic; /* 0 none, 2, 3 */
	bool lower_isar0; /* -L */
	int gic_fd;
	int vcpu_fd[MAX_CPUS];
	struct kvm_run *run[MAX_CPUS];
	pthread_mutex_t uart_lock;
	atomic_int stop; /* 0 running, else the exit status */
	/* PL011 interrupt state (uart_lock) and the injector thread that
	 * drives SPI 33 with KVM_IRQ_LINE from outside the vCPU threads. */
	uint32_t uart_imsc, uart_ris;
	int spi_want, spi_level;
	pthread_cond_t spi_cond;
	pthread_t injector;
	void *ram;
	unsigned int nr_regs; /* -r ID=VALUE */
	uint64_t reg_id[MAX_REGS], reg_val[MAX_REGS];
};

#define UART_SPI 33
#define UART_TXI 0x20

/* The injector: KVM_IRQ_LINE from a thread that runs no vCPU. */
static void *injector_main(void *p)
{
	struct machine *m = p;
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) |
		       UART_SPI,
	};

	pthread_mutex_lock(&m->uart_lock);
	while (!atomic_load(&m->stop)) {
		if (m->spi_want != m->spi_level) {
			m->spi_level = m->spi_want;
			irq.level = (uint32_t)m->spi_level;
			pthread_mutex_unlock(&m->uart_lock);
			if (vkvm_ioctl(m->vm, KVM_IRQ_LINE, &irq))
				perror("runner: KVM_IRQ_LINE");
			pthread_mutex_lock(&m->uart_lock);
			continue;
		}
		pthread_cond_wait(&m->spi_cond, &m->uart_lock);
	}
	pthread_mutex_unlock(&m->uart_lock);
	return NULL;
}

/* PL011 interrupt registers; caller holds uart_lock. */
static void uart_irq_write(struct machine *m, uint64_t off, uint32_t v)
{
	if (off == 0)
		m->uart_ris |= UART_TXI; /* TX FIFO drained at once */
	else if (off == 0x38)
		m->uart_imsc = v;
	else if (off == 0x44)
		m->uart_ris &= ~v;
	m->spi_want = !!(m->uart_ris & m->uart_imsc);
	if (m->gic && m->spi_want != m->spi_level)
		pthread_cond_signal(&m->spi_cond);
}

/* The PL011 registers a guest reads (virt-machine.md "PL011"). */
static uint32_t uart_read(uint64_t off)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

	if (off >= 0xfe0 && off < 0x1000)
		return id[(off - 0xfe0) / 4];
	return 0; /* FR: TX never full, RX empty; others 0 */
}

static void mmio(struct machine *m, struct kvm_run *run)
{
	uint64_t off = run->mmio.phys_addr - UART_GPA;
	uint32_t v = 0;

	if (run->mmio.phys_addr < UART_GPA || off >= UART_SIZE) {
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	if (run->mmio.is_write) {
		memcpy(&v, run->mmio.data,
		       run->mmio.len < 4 ? run->mmio.len : 4);
		pthread_mutex_lock(&m->uart_lock);
		if (off == 0) {
			fputc(run->mmio.data[0], stdout);
			if (run->mmio.data[0] == '\n')
				fflush(stdout);
		}
		uart_irq_write(m, off, v);
		pthread_mutex_unlock(&m->uart_lock);
		return;
	}
	pthread_mutex_lock(&m->uart_lock);
	if (off == 0x38)
		v = m->uart_imsc;
	else if (off == 0x3c)
		v = m->uart_ris;
	else if (off == 0x40)
		v = m->uart_ris & m->uart_imsc;
	else
		v = uart_read(off);
	pthread_mutex_unlock(&m->uart_lock);
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	memcpy(run->mmio.data, &v, run->mmio.len < 4 ? run->mmio.len : 4);
}

static void stop_all(struct machine *m, int status)
{
	int expected = 0;

	atomic_compare_exchange_strong(&m->stop, &expected, status);
	pthread_mutex_lock(&m->uart_lock);
	pthread_cond_signal(&m->spi_cond);
	pthread_mutex_unlock(&m->uart_lock);
	for (int i = 0; i < m->ncpus; i++)
		vkvm_kick_vcpu(m->vcpu_fd[i]);
}

struct vcpu_arg {
	struct machine *m;
	int idx;
};

static void *vcpu_thread(void *p)
{
	struct vcpu_arg *a = p;
	struct machine *m = a->m;
	struct kvm_run *run = m->run[a->idx];

	while (!atomic_load(&m->stop)) {
		int r = vkvm_ioctl(m->vcpu_fd[a->idx], KVM_RUN, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "runner: KVM_RUN: %s\n",
				strerror(errno));
			stop_all(m, 2);
			break;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			mmio(m, run);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			stop_all(m, run->system_event.type ==
						    KVM_SYSTEM_EVENT_SHUTDOWN ?
					    -1 :
					    2);
			break;
		default:
			fprintf(stderr, "runner: vCPU %d exit %u\n", a->idx,
				run->exit_reason);
			stop_all(m, 2);
			break;
		}
	}
	return NULL;
}

static int load(const char *path, void *ram)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) ||
	    (uint64_t)st.st_size > RAM_SIZE - LOAD_OFF) {
		perror(path);
		return -1;
	}
	n = read(fd, (char *)ram + LOAD_OFF, (size_t)st.st_size);
	close(fd);
	return n == st.st_size ? 0 : -1;
}

static int set_attr(int dev, uint32_t group, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = { .group = group,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)addr };

	return vkvm_ioctl(dev, KVM_SET_DEVICE_ATTR, &a);
}

/* The vGIC at the virt addresses (before the vCPUs for v2 and v3). */
static int gic_create(struct machine *m)
{
	struct kvm_create_device cd = {
		.type = m->gic == 2 ? KVM_DEV_TYPE_ARM_VGIC_V2 :
				      KVM_DEV_TYPE_ARM_VGIC_V3
	};
	uint64_t dist = GICD_GPA, cpu = GICC_GPA, redist = GICR_GPA;

	if (vkvm_ioctl(m->vm, KVM_CREATE_DEVICE, &cd))
		return -1;
	m->gic_fd = (int)cd.fd;
	if (m->gic == 2)
		return set_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_DIST, &dist) ||
		       set_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_CPU, &cpu);
	return set_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
	       set_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
}

/* CTRL_INIT once every vCPU exists (spec 3.7). */
static int gic_init(struct machine *m)
{
	if (!m->gic)
		return 0;
	return set_attr(m->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

#define ISAR0_ID                                                   \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 (3 << 14 | 0 << 11 | 0 << 7 | 6 << 3 | 0))
#define ISAR0_AES_ONE (1ULL << 4)

/* -L: the guest must read an ID register value set through ONE_REG. */
static int lower_isar0(int vcpu_fd)
{
	uint64_t v;
	struct kvm_one_reg reg = { .id = ISAR0_ID,
				   .addr = (uint64_t)(uintptr_t)&v };

	if (vkvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg))
		return -1;
	if (!(v & (0xfULL << 4))) {
		fprintf(stderr, "runner: ID_AA64ISAR0_EL1.AES is already 0\n");
		return -1;
	}
	v -= ISAR0_AES_ONE;
	if (vkvm_ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		return -1;
	fprintf(stderr, "runner: ID_AA64ISAR0_EL1 0x%016llx\n",
		(unsigned long long)v);
	return 0;
}

static int vcpu_setup(struct machine *m, int i)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	uint64_t pc = RAM_GPA + LOAD_OFF;
	struct kvm_one_reg reg = { .id = CORE_ID(regs.pc),
				   .addr = (uint64_t)(uintptr_t)&pc };

	m->vcpu_fd[i] = vkvm_ioctl(m->vm, KVM_CREATE_VCPU, i);
	if (m->vcpu_fd[i] < 0)
		return -1;
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (i)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (vkvm_ioctl(m->vcpu_fd[i], KVM_ARM_VCPU_INIT, &init))
		return -1;
	if (!i && vkvm_ioctl(m->vcpu_fd[i], KVM_SET_ONE_REG, &reg))
		return -1;
	for (unsigned int r = 0; r < m->nr_regs; r++) {
		reg.id = m->reg_id[r];
		reg.addr = (uint64_t)(uintptr_t)&m->reg_val[r];
		if (vkvm_ioctl(m->vcpu_fd[i], KVM_SET_ONE_REG, &reg)) {
			fprintf(stderr, "runner: -r %#llx: %s\n",
				(unsigned long long)reg.id, strerror(errno));
			return -1;
		}
	}
	if (m->lower_isar0 && lower_isar0(m->vcpu_fd[i]))
		return -1;
	m->run[i] = mmap(NULL, m->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 m->vcpu_fd[i], 0);
	return m->run[i] == MAP_FAILED ? -1 : 0;
}

static int get_reg(int vcpu, uint64_t id, void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &reg);
}

/* What ONE_REG reads now, for the guest to compare (struct mailbox). */
static int fill_mailbox(struct machine *m)
{
	struct mailbox *mb = (void *)((char *)m->ram + MAILBOX_OFF);
	int v = m->vcpu_fd[0];
	uint32_t ccsidr;

	mb->magic = MAILBOX_MAGIC;
	for (unsigned int n = 0; n < 4; n++)
		if (get_reg(v, FW_REG(n), n ? &mb->wa[n - 1] : &mb->psci))
			return -1;
	if (get_reg(v, SYSREG(3, 1, 0, 0, 1), &mb->clidr) ||
	    get_reg(v, SYSREG(3, 3, 0, 0, 1), &mb->ctr))
		return -1;
	for (unsigned int sel = 0; sel < MAILBOX_CCSIDRS; sel++)
		mb->ccsidr[sel] = get_reg(v, CCSIDR_REG(sel), &ccsidr) ? 0 :
									 ccsidr;
	return 0;
}

static int machine_setup(struct machine *m, const char *prog)
{
	struct kvm_userspace_memory_region mr = {
		.guest_phys_addr = RAM_GPA,
		.memory_size = RAM_SIZE,
	};
	void *ram;

	m->kvm = vkvm_open();
	if (m->kvm < 0)
		return -1;
	m->run_size = (size_t)vkvm_ioctl(m->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	m->vm = vkvm_ioctl(m->kvm, KVM_CREATE_VM, 0);
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m->vm < 0 || ram == MAP_FAILED || load(prog, ram))
		return -1;
	mr.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (vkvm_ioctl(m->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		return -1;
	if (m->gic && gic_create(m))
		return -1;
	m->ram = ram;
	for (int i = 0; i < m->ncpus; i++)
		if (vcpu_setup(m, i))
			return -1;
	return fill_mailbox(m) || gic_init(m) ? -1 : 0;
}

/* -r ID=VALUE (both in C notation: 0x..., decimal). */
static int parse_reg(struct machine *m, const char *arg)
{
	char *end;

	if (m->nr_regs >= MAX_REGS)
		return -1;
	m->reg_id[m->nr_regs] = strtoull(arg, &end, 0);
	if (*end != '=')
		return -1;
	m->reg_val[m->nr_regs] = strtoull(end + 1, &end, 0);
	if (*end)
		return -1;
	m->nr_regs++;
	return 0;
}

int main(int argc, char **argv)
{
	struct machine m = { .ncpus = 1 };
	struct vcpu_arg args[MAX_CPUS];
	pthread_t th[MAX_CPUS];
	int opt, status;

	while ((opt = getopt(argc, argv, "n:g:r:L")) != -1) {
		if (opt == 'n')
			m.ncpus = atoi(optarg);
		else if (opt == 'g')
			m.gic = atoi(optarg);
		else if (opt == 'L')
			m.lower_isar0 = true;
		else if (opt != 'r' || parse_reg(&m, optarg))
			return 1;
	}
	if (optind != argc - 1 || m.ncpus < 1 || m.ncpus > MAX_CPUS) {
		fprintf(stderr, "usage: runner [-n NCPUS] [-g 2|3] "
				"[-r ID=VALUE]... [-L] PROG.bin\n");
		return 1;
	}
	pthread_mutex_init(&m.uart_lock, NULL);
	pthread_cond_init(&m.spi_cond, NULL);
	if (machine_setup(&m, argv[optind])) {
		fprintf(stderr, "runner: setup failed: %s\n", strerror(errno));
		return 1;
	}
	if (m.gic)
		pthread_create(&m.injector, NULL, injector_main, &m);
	for (int i = 0; i < m.ncpus; i++) {
		args[i] = (struct vcpu_arg){ &m, i };
		pthread_create(&th[i], NULL, vcpu_thread, &args[i]);
	}
	for (int s = 0; s < TIMEOUT_S * 10 && !atomic_load(&m.stop); s++)
		usleep(100000);
	if (!atomic_load(&m.stop)) {
		fprintf(stderr, "runner: timeout\n");
		stop_all(&m, 3);
	}
	for (int i = 0; i < m.ncpus; i++)
		pthread_join(th[i], NULL);
	if (m.gic)
		pthread_join(m.injector, NULL);
	fflush(stdout);
	status = atomic_load(&m.stop);
	return status < 0 ? 0 : status;
}
