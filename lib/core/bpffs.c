// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpffs: where xctl keeps what must outlive the process (pinned links, maps).
 * Everything xctl pins is below <bpffs>/xctl/; paths that would leave it, or
 * that are not on a bpffs, are refused.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"

bool xctl_is_bpffs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return false;
	return (unsigned long)st.f_type == BPF_FS_MAGIC;
}

static bool dir_is_empty(const char *path)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

static int mkdir_p(char *path, mode_t mode)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static int set_paths(struct xctl_bpffs *fs, const char *dir)
{
	char real[PATH_MAX];

	if (!realpath(dir, real))
		return -errno;
	if (snprintf(fs->root, sizeof(fs->root), "%s", real) >= (int)sizeof(fs->root) ||
	    snprintf(fs->base, sizeof(fs->base), "%s/%s",
		     strcmp(real, "/") ? real : "", XCTL_PIN_SUBDIR) >= (int)sizeof(fs->base))
		return -ENAMETOOLONG;
	return 0;
}

int xctl_bpffs_probe(struct xctl_bpffs *fs, const char *dir)
{
	int r;

	if (!dir)
		dir = XCTL_BPFFS_DEFAULT;
	if (!xctl_is_bpffs(dir))
		return xctl_ret(-ENOENT);
	r = set_paths(fs, dir);
	if (r)
		return xctl_ret(r);
	return 0;
}

int xctl_bpffs_open(struct xctl_bpffs *fs, const struct xctl_bpffs_opts *opts,
		    struct xctl_err *err)
{
	const char *dir = XCTL_OPT(opts, dir, NULL);
	bool no_mount = XCTL_OPT(opts, no_mount, false);
	char tmp[PATH_MAX];
	int r;

	r = XCTL_OPTS_CHECK(opts, xctl_bpffs_opts, err);
	if (r)
		return xctl_ret(r);
	if (!dir)
		dir = XCTL_BPFFS_DEFAULT;
	if (!xctl_is_bpffs(dir)) {
		if (no_mount) {
			r = xctl_errf(err, ENOENT, "%s is not a bpffs mount", dir);
			xctl_err_why(err, "no BPF filesystem mounted there and --no-mount given");
			xctl_err_hint(err, "mount it: mount -t bpf bpf %s", dir);
			return xctl_ret(r);
		}
		snprintf(tmp, sizeof(tmp), "%s", dir);
		r = mkdir_p(tmp, 0700);
		if (r)
			return xctl_errf(err, r, "cannot create bpffs mount point %s", dir);
		/* Never hide a directory's contents under a new mount. */
		if (!dir_is_empty(dir)) {
			r = xctl_errf(err, ENOTEMPTY, "cannot mount bpffs on %s", dir);
			xctl_err_why(err, "it is not a bpffs and not empty");
			xctl_err_hint_code(err, XCTL_HINT_BPFFS_MOUNT, NULL, NULL,
					   "pass a directory where a bpffs is mounted");
			return xctl_ret(r);
		}
		if (mount("bpf", dir, "bpf", 0, "mode=0700")) {
			r = xctl_errf(err, errno, "cannot mount bpffs on %s", dir);
			if (errno == EPERM)
				xctl_err_hint(err, "mounting needs root (CAP_SYS_ADMIN)");
			return xctl_ret(r);
		}
	}
	r = set_paths(fs, dir);
	if (r)
		return xctl_errf(err, r, "cannot resolve bpffs path %s", dir);
	return xctl_pin_path_mkdirs(fs, fs->base, err);
}

static bool rel_is_safe(const char *rel)
{
	const char *p = rel;

	if (!*rel || *rel == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (n == 0)
			return false;	/* "//" */
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

int xctl_bpffs_path(const struct xctl_bpffs *fs, const char *rel, char *out,
		    size_t outsz, struct xctl_err *err)
{
	if (!rel_is_safe(rel))
		return xctl_errf(err, EINVAL, "invalid pin path '%s' below %s", rel, fs->base);
	if (snprintf(out, outsz, "%s/%s", fs->base, rel) >= (int)outsz)
		return xctl_errf(err, ENAMETOOLONG, "pin path %s/%s", fs->base, rel);
	return 0;
}

int xctl_bpffs_check_pin(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err)
{
	char parent[PATH_MAX], real[PATH_MAX];
	size_t blen = strlen(fs->base);
	char *slash;
	int r;

	if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
		return xctl_errf(err, ENAMETOOLONG, "pin path %s", path);
	slash = strrchr(parent, '/');
	if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, "..")) {
		r = xctl_errf(err, EINVAL, "invalid pin path %s", path);
		xctl_err_why(err, "it names no file");
		return r;
	}
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (!realpath(parent, real))
		return xctl_errf(err, errno, "pin path %s: cannot resolve %s", path, parent);
	if (!xctl_is_bpffs(real)) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", path);
		xctl_err_why(err, "%s is not on a bpffs", real);
		xctl_err_hint(err, "pin below %s", fs->base);
		return r;
	}
	if (strncmp(real, fs->base, blen) || (real[blen] && real[blen] != '/')) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", path);
		xctl_err_why(err, "it is outside %s", fs->base);
		xctl_err_hint(err, "xctl pins only below %s", fs->base);
		return r;
	}
	return 0;
}

int xctl_bpffs_mkdir(const struct xctl_bpffs *fs, const char *rel,
		     struct xctl_err *err)
{
	char path[PATH_MAX];
	int r;

	r = xctl_bpffs_path(fs, rel, path, sizeof(path), err);
	if (r)
		return r;
	return xctl_pin_path_mkdirs(fs, path, err);
}
