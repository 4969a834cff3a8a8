// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's log of one operation (the verifier's log of a failed program
 * load), captured through libbpf's per-object kernel_log_buf and attached to
 * the caller's struct xctl_err. libbpf's own messages go to the print
 * callback the application installs (libbpf_set_print); the library never
 * installs one.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"

/*
 * A truncated verifier log makes the kernel fail the load with ENOSPC
 * instead of the real error, so the buffer is as large as libbpf's own
 * largest; malloc() leaves the pages untouched until the kernel writes.
 */
#define KLOG_SIZE	(16U << 20)

int xctl_klog_init(struct xctl_klog *l, struct bpf_object_open_opts *oo)
{
	l->buf = malloc(KLOG_SIZE);
	if (!l->buf)
		return -ENOMEM;
	l->buf[0] = '\0';
	if (oo) {
		oo->kernel_log_buf = l->buf;
		oo->kernel_log_size = KLOG_SIZE;
	}
	return 0;
}

void xctl_klog_attach(const struct xctl_klog *l, struct xctl_err *err)
{
	if (l->buf && l->buf[0])
		xctl_err_log(err, l->buf);
}

void xctl_klog_free(struct xctl_klog *l)
{
	free(l->buf);
	l->buf = NULL;
}
