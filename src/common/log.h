/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h: the library's only logging path.  A library never writes to
 * stdout; messages go to stderr, filtered by the VKVM_LOG environment
 * variable (err, warn, info, debug; default warn), read once per process.
 */
#ifndef VKVM_COMMON_LOG_H
#define VKVM_COMMON_LOG_H

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* log_printf - print one message at @level if the configured level allows. */
void log_printf(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* log_enabled - whether a message at @level would be printed. */
int log_enabled(enum log_level level);

#define pr_err(...) log_printf(LOG_ERR, "vkvm: " __VA_ARGS__)
#define pr_warn(...) log_printf(LOG_WARN, "vkvm: " __VA_ARGS__)
#define pr_info(...) log_printf(LOG_INFO, "vkvm: " __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, "vkvm: " __VA_ARGS__)

/*
 * pr_debug_ratelimited - for messages a guest can trigger at will (bad MMIO
 * offsets and the like): at most one per second per call site.
 */
#define pr_debug_ratelimited(...)                                    \
	do {                                                         \
		static _Atomic long last_;                           \
		if (log_enabled(LOG_DEBUG) && log_ratelimit(&last_)) \
			log_printf(LOG_DEBUG, "vkvm: " __VA_ARGS__); \
	} while (0)

/* log_ratelimit - true at most once per second for one @last slot. */
int log_ratelimit(_Atomic long *last);

#endif /* VKVM_COMMON_LOG_H */
