// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-device locks for changes that take several steps (xdp redirect
 * setup/teardown: record, channels, rings, helper program, record again).
 *
 * Scope: one network device, named by its network namespace (the inode of
 * /proc/self/ns/net) and its ifindex, host-wide: every xctl process, every
 * bpffs. Each is an flock(2) on XCTL_LOCK_DIR/dev-<netns inode>-<ifindex>.lock,
 * taken exclusively for the whole change and released when the fd is closed,
 * which the kernel also does when the process dies (a killed setup never
 * leaves a stale lock). The files stay (empty, in /run, a tmpfs): removing
 * one while another process waits on it would let two holders exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xctl_priv.h"
#include "core_priv.h"

int xctl_dev_lock(int ifindex, struct xctl_err *err)
{
	char path[128];
	struct stat ns;
	int fd, r;

	if (stat("/proc/self/ns/net", &ns))
		return xctl_errf(err, errno, "cannot lock device %d: no network namespace", ifindex);
	if (mkdir(XCTL_LOCK_DIR, 0700) && errno != EEXIST)
		return xctl_errf(err, errno, "cannot create the lock directory %s", XCTL_LOCK_DIR);
	snprintf(path, sizeof(path), "%s/dev-%llu-%d.lock", XCTL_LOCK_DIR,
		 (unsigned long long)ns.st_ino, ifindex);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open the device lock %s", path);
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		r = xctl_errf(err, errno, "cannot lock %s", path);
		close(fd);
		return r;
	}
	return fd;
}

void xctl_dev_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}
