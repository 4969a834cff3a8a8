// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Entering a network namespace by name (/run/netns/NAME, as `ip -n`) or path. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "xctl_priv.h"

int xctl_netns_enter(const char *name, struct xctl_err *err)
{
	char path[256];
	int fd, r;

	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot open network namespace '%s' (%s)", name, path);
		if (r == -ENOENT)
			xctl_err_hint(err, "list namespaces with 'ip netns list'");
		return r;
	}
	r = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	if (r)
		return xctl_errf(err, r, "cannot enter network namespace '%s'", name);
	return 0;
}
