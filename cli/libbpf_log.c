// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf's print callback belongs to the application: the library never
 * installs one. With -d every libbpf message goes to stderr as it comes;
 * otherwise warnings (never info lines) are kept for the current command so
 * that a failure whose error carries no kernel log of its own can point at
 * them ("run with -d"). The verifier's log of a failed load reaches the CLI
 * through struct xctl_err, captured by the library per operation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cli.h"

#define LOG_CAP (1U << 20)

static char *log_buf;
static size_t log_len;

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[4096];
	int n;

	if (debug_output)
		return vfprintf(stderr, fmt, ap);
	/* Kept: warnings only. libbpf's info lines ("skipping unrecognized
	 * data section") are not problems and must not prompt "run with -d". */
	if (level != LIBBPF_WARN)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (log_len + n + 1 > LOG_CAP)
		return 0;
	if (!log_buf) {
		log_buf = malloc(LOG_CAP);
		if (!log_buf)
			return 0;
	}
	memcpy(log_buf + log_len, line, n);
	log_len += n;
	log_buf[log_len] = '\0';
	return 0;
}

void libbpf_log_setup(void)
{
	libbpf_set_print(print_cb);
}

void libbpf_log_clear(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
}

const char *libbpf_log_text(void)
{
	return log_len ? log_buf : NULL;
}
