// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading verifier logs: the verdict (the line that says why a program was
 * refused) in the kernel's log of a load (struct xctl_klog) or in a
 * libbpf-formatted log, so an error can say why without the whole log.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "xctl_priv.h"

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

/* The last line of [p, end) that is not statistics; false if none. */
static bool last_verdict(const char *p, const char *end, char *line, size_t llen)
{
	const char *q, *last = NULL;
	size_t lastn = 0;

	for (; p < end; p = q + 1) {
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

bool xctl_log_verdict(const char *log, char *prog, size_t plen, char *line, size_t llen)
{
	static const char begin[] = "': -- BEGIN PROG LOAD LOG --";
	const char *b = NULL, *p, *q, *end;

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
	return last_verdict(p ? p + 1 : end, end, line, llen);
}

bool xctl_klog_verdict(const char *log, char *line, size_t llen)
{
	if (!log)
		return false;
	return last_verdict(log, log + strlen(log), line, llen);
}
