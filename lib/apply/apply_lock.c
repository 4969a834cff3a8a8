// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One apply at a time per xctl tree: flock(2) on <bpffs>/xctl. The lock
 * lives exactly as long as the holder's descriptor, so an apply that is
 * killed releases it, and it scopes to the state being converged (a test's
 * private bpffs does not wait for the host's apply).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include "xctl_priv.h"

int xctl_apply_lock(const struct xctl_bpffs *fs, bool wait, struct xctl_err *err)
{
	int fd, r;

	fd = open(fs->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open %s to lock it", fs->base);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) {
		r = -errno;
		if (r == -EINTR)
			continue;
		close(fd);
		xctl_errf(err, -r, "cannot lock %s", fs->base);
		if (r == -EWOULDBLOCK)
			xctl_err_why(err, "another xctl apply holds the lock");
		return r;
	}
	return fd;
}
