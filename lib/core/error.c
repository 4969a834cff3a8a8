// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct xctl_err helpers: every lib failure is described through these. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xctl_priv.h"

int xctl_errf(struct xctl_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (errnum < 0)
		errnum = -errnum;
	if (!errnum)
		errnum = EINVAL;
	errno = errnum;
	if (!e)
		return -errnum;
	e->errnum = errnum;
	e->why[0] = '\0';
	e->hint[0] = '\0';
	e->hint_code = XCTL_HINT_NONE;
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return -errnum;
}

void xctl_err_why(struct xctl_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
}

void xctl_err_hint(struct xctl_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
}

void xctl_err_log(struct xctl_err *e, const char *log)
{
	if (!e || !log || !*log)
		return;
	free(e->log);
	e->log = strdup(log);
}

const char *xctl_err_reason(const struct xctl_err *e)
{
	if (e->why[0])
		return e->why;
	return strerror(e->errnum ? e->errnum : EINVAL);
}

void xctl_err_reset(struct xctl_err *e)
{
	if (!e)
		return;
	free(e->log);
	memset(e, 0, sizeof(*e));
}
