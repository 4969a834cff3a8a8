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
	e->hint_arg[0][0] = e->hint_arg[1][0] = '\0';
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
	e->hint_code = XCTL_HINT_NONE;
}

void xctl_err_hint_code(struct xctl_err *e, enum xctl_hint code, const char *arg0,
			const char *arg1, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
	e->hint_code = code;
	snprintf(e->hint_arg[0], sizeof(e->hint_arg[0]), "%s", arg0 ? arg0 : "");
	snprintf(e->hint_arg[1], sizeof(e->hint_arg[1]), "%s", arg1 ? arg1 : "");
}

void xctl_err_log(struct xctl_err *e, const char *log)
{
	if (!e || !log || !*log)
		return;
	free(e->log);
	e->log = strdup(log);
}

/*
 * Kernel-internal errnos (include/linux/errno.h) that bpf(2) and netlink
 * pass to user space; libc knows none of them ("Unknown error 524").
 */
static const struct {
	int errnum;
	const char *text;
} kernel_errnos[] = {
	{ 512, "interrupted, to be restarted (ERESTARTSYS)" },
	{ 515, "no such ioctl for the device (ENOIOCTLCMD)" },
	{ 517, "the driver deferred its probe (EPROBE_DEFER)" },
	{ 521, "invalid handle (EBADHANDLE)" },
	{ 523, "invalid cookie (EBADCOOKIE)" },
	{ 524, "operation not supported by the kernel (ENOTSUPP)" },
	{ 525, "buffer or request too small (ETOOSMALL)" },
	{ 526, "internal server fault (ESERVERFAULT)" },
	{ 527, "type not supported by the kernel (EBADTYPE)" },
};

const char *xctl_strerror(int errnum)
{
	size_t i;

	if (errnum < 0)
		errnum = -errnum;
	for (i = 0; i < sizeof(kernel_errnos) / sizeof(kernel_errnos[0]); i++)
		if (kernel_errnos[i].errnum == errnum)
			return kernel_errnos[i].text;
	return strerror(errnum);
}

const char *xctl_err_reason(const struct xctl_err *e)
{
	if (e->why[0])
		return e->why;
	return xctl_strerror(e->errnum ? e->errnum : EINVAL);
}

void xctl_err_reset(struct xctl_err *e)
{
	if (!e)
		return;
	free(e->log);
	memset(e, 0, sizeof(*e));
}

int xctl_opts_check(const void *opts, size_t sz, size_t known, const char *type,
		    struct xctl_err *err)
{
	const unsigned char *p = opts;
	size_t i;

	if (sz < sizeof(size_t))
		return xctl_errf(err, EINVAL, "invalid struct %s: sz %zu is too small",
				 type, sz);
	for (i = known; i < sz; i++) {
		if (!p[i])
			continue;
		xctl_errf(err, EINVAL, "invalid struct %s: byte %zu of %zu is set", type,
			  i, sz);
		xctl_err_why(err, "this libxctl knows its fields up to byte %zu only",
			     known);
		return -EINVAL;
	}
	return 0;
}
