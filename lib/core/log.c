// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf print capture. libbpf reports verifier logs and load failures
 * through its print callback; the library must not print, so the text is
 * kept in a buffer that the caller attaches to its struct xctl_err (shown
 * with -d), and echoed to stderr only when the user asked for debug output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"

#define LOG_CAP (1U << 20)

static char *log_buf;
static size_t log_len;
static bool log_echo;

static int log_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[4096];
	int n;

	if (level == LIBBPF_DEBUG && !log_echo)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return 0;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (log_echo)
		fputs(line, stderr);
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

void xctl_libbpf_log_setup(bool echo)
{
	log_echo = echo;
	libbpf_set_print(log_print);
}

char *xctl_libbpf_log_take(void)
{
	char *s = NULL;

	if (log_buf && log_len)
		s = strdup(log_buf);
	xctl_libbpf_log_clear();
	return s;
}

void xctl_libbpf_log_clear(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
}

/* Lines of a verifier log that are statistics, not the verdict. */
static bool log_noise(const char *l, size_t n)
{
	static const char *const pfx[] = {
		"processed ", "verification time", "stack depth", "-- ", "libbpf:",
		"Validating ", "func#", "mark_precise",
	};
	size_t i;

	while (n && (*l == ' ' || *l == '\t'))
		l++, n--;
	if (!n)
		return true;
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (n >= strlen(pfx[i]) && !strncmp(l, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

bool xctl_log_verdict(const char *log, char *prog, size_t plen, char *line, size_t llen)
{
	static const char begin[] = "': -- BEGIN PROG LOAD LOG --";
	const char *b = NULL, *p, *q, *end, *last = NULL;
	size_t lastn = 0;

	for (p = log ? strstr(log, begin) : NULL; p; p = strstr(p + 1, begin))
		b = p;
	if (!b)
		return false;
	/* "libbpf: prog 'NAME': -- BEGIN ..." */
	for (q = b; q > log && q[-1] != '\'' && q[-1] != '\n'; q--)
		;
	if (q == log || q[-1] != '\'')
		return false;
	snprintf(prog, plen, "%.*s", (int)(b - q), q);
	p = strchr(b, '\n');
	end = p ? strstr(p, "-- END PROG LOAD LOG --") : NULL;
	if (!end)
		end = log + strlen(log);
	for (p = p ? p + 1 : end; p < end; p = q + 1) {
		q = memchr(p, '\n', end - p);
		if (!q)
			q = end;
		if (!log_noise(p, q - p)) {
			last = p;
			lastn = q - p;
		}
	}
	if (!last)
		return false;
	snprintf(line, llen, "%.*s", (int)lastn, last);
	return true;
}
