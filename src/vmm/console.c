// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * console.c: stdin to the PL011.  A terminal is put in raw mode (input
 * unprocessed, output still post-processed, as QEMU's stdio backend
 * does) and restored by vmm_console_stop() on every exit path.  Escapes
 * as QEMU's: Ctrl-a x quits, Ctrl-a a (or Ctrl-a Ctrl-a) sends Ctrl-a,
 * Ctrl-a h prints help.  Input that the guest has no room for waits in a
 * buffer; stdin is not read while that buffer is full.
 */
#include "machine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CTRL_A 0x01

static void wake(struct vmm_console *c)
{
	char b = 1;

	if (c->wake[1] >= 0 && write(c->wake[1], &b, 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
}

void vmm_console_rx_space(void *opaque)
{
	struct vmm *vmm = opaque;

	wake(&vmm->console);
}

static void console_escape(struct vmm *vmm, uint8_t b)
{
	struct vmm_console *c = &vmm->console;

	switch (b) {
	case 'x':
		vmm_request_stop(vmm, VMM_EXIT_QUIT, "quit (Ctrl-a x)");
		break;
	case 'a':
	case CTRL_A:
		c->pending[c->pending_len++] = CTRL_A;
		break;
	case 'h':
		fprintf(stderr, "\r\nC-a h    this help\r\n"
				"C-a x    quit vkvm\r\n"
				"C-a a    send C-a\r\n");
		break;
	default:
		break;
	}
}

static void console_input(struct vmm *vmm, const uint8_t *buf, size_t n)
{
	struct vmm_console *c = &vmm->console;

	for (size_t i = 0; i < n; i++) {
		if (c->escape) {
			c->escape = false;
			console_escape(vmm, buf[i]);
		} else if (buf[i] == CTRL_A) {
			c->escape = true;
		} else {
			c->pending[c->pending_len++] = buf[i];
		}
	}
}

static void console_read(struct vmm *vmm)
{
	struct vmm_console *c = &vmm->console;
	uint8_t buf[sizeof(c->pending)];
	ssize_t n;

	n = read(c->in_fd, buf, sizeof(c->pending) - c->pending_len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->eof = true; /* end of input (or an error): stop reading */
		return;
	}
	console_input(vmm, buf, (size_t)n);
}

static void console_flush(struct vmm *vmm)
{
	struct vmm_console *c = &vmm->console;
	size_t n;

	if (!c->pending_len)
		return;
	n = vmm_pl011_push_rx(&vmm->uart, c->pending, c->pending_len);
	memmove(c->pending, c->pending + n, c->pending_len - n);
	c->pending_len -= n;
}

static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void *console_thread(void *arg)
{
	struct vmm *vmm = arg;
	struct vmm_console *c = &vmm->console;

	while (!atomic_load(&c->stop)) {
		struct pollfd fds[2] = { { c->wake[0], POLLIN, 0 },
					 { c->in_fd, POLLIN, 0 } };
		nfds_t nfds = 1;

		console_flush(vmm);
		if (!c->eof && c->pending_len < sizeof(c->pending))
			nfds = 2;
		if (poll(fds, nfds, -1) < 0 && errno != EINTR)
			break;
		if (fds[0].revents)
			drain(c->wake[0]);
		if (nfds == 2 && fds[1].revents)
			console_read(vmm);
	}
	return NULL;
}

static void console_raw(struct vmm_console *c)
{
	struct termios t;

	if (!isatty(c->in_fd) || tcgetattr(c->in_fd, &c->saved) < 0)
		return;
	t = c->saved;
	cfmakeraw(&t);
	t.c_oflag |= OPOST; /* keep "\n" -> "\r\n" for the guest's output */
	if (tcsetattr(c->in_fd, TCSANOW, &t) == 0)
		c->raw = true;
}

int vmm_console_start(struct vmm *vmm)
{
	struct vmm_console *c = &vmm->console;
	int ret;

	c->in_fd = STDIN_FILENO;
	if (pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "vkvm: console: pipe: %s\n", strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	console_raw(c);
	ret = pthread_create(&c->thread, NULL, console_thread, vmm);
	if (ret) {
		fprintf(stderr, "vkvm: console thread: %s\n", strerror(ret));
		return VMM_EXIT_HOST_ERROR;
	}
	c->started = true;
	return 0;
}

void vmm_console_stop(struct vmm *vmm)
{
	struct vmm_console *c = &vmm->console;

	atomic_store(&c->stop, true);
	wake(c);
	if (c->started)
		pthread_join(c->thread, NULL);
	c->started = false;
	if (c->raw)
		tcsetattr(c->in_fd, TCSANOW, &c->saved);
	c->raw = false;
	for (int i = 0; i < 2; i++)
		if (c->wake[i] >= 0)
			close(c->wake[i]);
	c->wake[0] = c->wake[1] = -1;
}
