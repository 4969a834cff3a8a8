// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Walking xctl's pin tree without trusting it. Anyone who may write the
 * bpffs can put a symbolic link where xctl expects its own directory or
 * pin (modules/NAME -> /etc, modules/NAME/MAP -> another bpffs): following
 * it would make unload delete files elsewhere or detach registrations that
 * are not xctl's. So the tree is opened one directory at a time relative
 * to its parent's fd with O_NOFOLLOW, each directory is checked to be on a
 * bpffs (statfs magic), entries are looked at with fstatat(...,
 * AT_SYMLINK_NOFOLLOW) before use, removed with unlinkat() on the parent
 * fd (which never follows a link), and the caller checks the object type
 * of what it opened (bpf_obj_get_info_by_fd) before acting on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"

static bool fd_on_bpffs(int fd)
{
	struct statfs st;

	return !fstatfs(fd, &st) && (unsigned long)st.f_type == BPF_FS_MAGIC;
}

static int refuse(struct xctl_err *err, int errnum, const char *path, const char *why)
{
	int r = xctl_errf(err, errnum, "refusing to use %s", path);

	xctl_err_why(err, "%s", why);
	xctl_err_hint(err, "xctl's tree below the bpffs holds only its own directories "
		      "and pins; remove what was put there by hand");
	return r;
}

int xctl_pin_opendir(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	size_t rlen = strlen(fs->root);
	char buf[PATH_MAX], *comp, *save = NULL;
	int dfd, nfd;

	if (strncmp(path, fs->root, rlen) || (path[rlen] && path[rlen] != '/') ||
	    snprintf(buf, sizeof(buf), "%s", path + rlen) >= (int)sizeof(buf))
		return xctl_errf(err, EINVAL, "%s is not below the bpffs %s", path, fs->root);
	dfd = open(fs->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return xctl_errf(err, errno, "cannot open %s", fs->root);
	if (!fd_on_bpffs(dfd)) {
		close(dfd);
		return refuse(err, EINVAL, fs->root, "it is not a bpffs");
	}
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		nfd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			int e = errno, kind = xctl_pin_kind(dfd, comp);

			close(dfd);
			if (kind == XCTL_PIN_SYMLINK)
				return refuse(err, ELOOP, path, "a component of it is a symbolic link");
			if (e == ENOTDIR)
				return refuse(err, e, path, "a component of it is not a directory");
			return xctl_errf(err, e, "cannot open %s", path);
		}
		close(dfd);
		if (!fd_on_bpffs(nfd)) {
			close(nfd);
			return refuse(err, EXDEV, path, "it leads out of the bpffs");
		}
		dfd = nfd;
	}
	return dfd;
}

int xctl_pin_kind(int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISLNK(st.st_mode))
		return XCTL_PIN_SYMLINK;
	if (S_ISDIR(st.st_mode))
		return XCTL_PIN_DIR;
	return S_ISREG(st.st_mode) ? XCTL_PIN_OBJ : XCTL_PIN_OTHER;
}

int xctl_pin_get(int dfd, const char *name, struct xctl_err *err)
{
	char path[64 + NAME_MAX];
	int kind = xctl_pin_kind(dfd, name), fd;

	if (kind < 0)
		return xctl_errf(err, -kind, "cannot open pin %s", name);
	if (kind != XCTL_PIN_OBJ)
		return refuse(err, ELOOP, name, kind == XCTL_PIN_SYMLINK ?
			      "it is a symbolic link, not a pin" : "it is not a pinned BPF object");
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dfd, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open pin %s", name);
	return fd;
}
