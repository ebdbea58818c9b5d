// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c: stderr logging with a level taken from $VKVM_LOG. */
#include "common/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The level is process configuration read from the environment once, not
 * VM state, so it is the one piece of static data besides the fd table.
 */
static int log_level_cached = -1;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_init(void)
{
	const char *s = getenv("VKVM_LOG");
	int level = LOG_WARN;

	if (s) {
		if (!strcmp(s, "err"))
			level = LOG_ERR;
		else if (!strcmp(s, "info"))
			level = LOG_INFO;
		else if (!strcmp(s, "debug"))
			level = LOG_DEBUG;
	}
	__atomic_store_n(&log_level_cached, level, __ATOMIC_RELEASE);
}

int log_enabled(enum log_level level)
{
	pthread_once(&log_once, log_init);
	return (int)level <=
	       __atomic_load_n(&log_level_cached, __ATOMIC_ACQUIRE);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int log_ratelimit(_Atomic long *last)
{
	struct timespec ts;
	long now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long)ts.tv_sec;
	if (*last == now)
		return 0;
	*last = now;
	return 1;
}
