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

/* Open (and with create, make missing) each component below fs->root. */
static int walk(const struct xctl_bpffs *fs, const char *path, bool create,
		struct xctl_err *err)
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
		if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
			close(dfd);
			return xctl_errf(err, EINVAL, "invalid path %s", path);
		}
		if (create && mkdirat(dfd, comp, 0700) && errno != EEXIST) {
			int e = errno;

			close(dfd);
			return xctl_errf(err, e, "cannot create %s", path);
		}
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

int xctl_pin_opendir(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	return walk(fs, path, false, err);
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

/*
 * The pin is opened as an O_PATH|O_NOFOLLOW fd first and bpf_obj_get() is
 * given that fd's /proc/self/fd link: the kernel resolves it to exactly the
 * inode that was checked, so a link swapped in between is never followed.
 */
static int pin_get(int dfd, const char *name, const char *shown, struct xctl_err *err)
{
	char path[64];
	struct stat st;
	int pfd, fd, e;

	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return xctl_errf(err, errno, "cannot open pin %s", shown);
	if (fstat(pfd, &st)) {
		e = errno;
		close(pfd);
		return xctl_errf(err, e, "cannot open pin %s", shown);
	}
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return refuse(err, S_ISDIR(st.st_mode) ? EISDIR : ELOOP, shown,
			      S_ISLNK(st.st_mode) ? "it is a symbolic link, not a pin" :
			      "it is not a pinned BPF object");
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd);
	fd = bpf_obj_get(path);
	e = errno;
	close(pfd);
	if (fd < 0)
		return xctl_errf(err, e, "cannot open pin %s", shown);
	return fd;
}

int xctl_pin_get(int dfd, const char *name, struct xctl_err *err)
{
	return pin_get(dfd, name, name, err);
}

/*
 * The parent directory of path, opened without following links, and the
 * last component in *leaf (a pointer into path). The leaf must be a plain
 * name: not empty, ".", "..".
 */
static int open_parent(const struct xctl_bpffs *fs, const char *path,
		       const char **leaf, struct xctl_err *err)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return xctl_errf(err, EINVAL, "invalid pin path %s", path);
	n = (size_t)(slash - path);
	if (n >= sizeof(parent))
		return xctl_errf(err, ENAMETOOLONG, "pin path %s", path);
	memcpy(parent, path, n);
	parent[n] = '\0';
	*leaf = slash + 1;
	return xctl_pin_opendir(fs, parent, err);
}

int xctl_pin_path_get(const struct xctl_bpffs *fs, const char *path,
		      struct xctl_err *err)
{
	const char *leaf;
	int dfd, fd;

	dfd = open_parent(fs, path, &leaf, err);
	if (dfd < 0)
		return dfd;
	fd = pin_get(dfd, leaf, path, err);
	close(dfd);
	return fd;
}

int xctl_pin_path_pin(const struct xctl_bpffs *fs, int fd, const char *path,
		      struct xctl_err *err)
{
	char at[64 + NAME_MAX];
	const char *leaf;
	int dfd, r = 0;

	dfd = open_parent(fs, path, &leaf, err);
	if (dfd < 0)
		return dfd;
	/* The kernel creates leaf in exactly this directory; it never
	 * follows a link at leaf (an existing entry of any kind is EEXIST). */
	if (snprintf(at, sizeof(at), "/proc/self/fd/%d/%s", dfd, leaf) >= (int)sizeof(at))
		r = xctl_errf(err, ENAMETOOLONG, "cannot pin at %s", path);
	else if (bpf_obj_pin(fd, at))
		r = xctl_errf(err, errno, "cannot pin at %s", path);
	close(dfd);
	return r;
}

/*
 * Remove pin or directory path: what is there must be what the caller
 * expects (a pin, or a directory), never a link or anything else, which is
 * left in place and refused.
 */
static int remove_at(const struct xctl_bpffs *fs, const char *path, bool dir,
		     struct xctl_err *err)
{
	const char *leaf;
	int dfd, kind, r = 0;

	dfd = open_parent(fs, path, &leaf, err);
	if (dfd < 0)
		return dfd;
	kind = xctl_pin_kind(dfd, leaf);
	if (kind < 0)
		r = xctl_errf(err, -kind, "cannot remove %s", path);
	else if (kind != (dir ? XCTL_PIN_DIR : XCTL_PIN_OBJ))
		r = refuse(err, kind == XCTL_PIN_SYMLINK ? ELOOP : (dir ? ENOTDIR : EISDIR), path,
			   kind == XCTL_PIN_SYMLINK ? "it is a symbolic link" :
			   dir ? "it is not a directory" : "it is not a pinned BPF object");
	else if (unlinkat(dfd, leaf, dir ? AT_REMOVEDIR : 0))
		r = xctl_errf(err, errno, "cannot remove %s", path);
	close(dfd);
	return r;
}

int xctl_pin_path_unlink(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err)
{
	return remove_at(fs, path, false, err);
}

int xctl_pin_path_rmdir(const struct xctl_bpffs *fs, const char *path,
			struct xctl_err *err)
{
	return remove_at(fs, path, true, err);
}

int xctl_pin_path_rename(const struct xctl_bpffs *fs, const char *from, const char *to,
			 struct xctl_err *err)
{
	const char *lf, *lt;
	int df, dt, kind, r = 0;

	df = open_parent(fs, from, &lf, err);
	if (df < 0)
		return df;
	dt = open_parent(fs, to, &lt, err);
	if (dt < 0) {
		close(df);
		return dt;
	}
	kind = xctl_pin_kind(df, lf);
	if (kind < 0)
		r = xctl_errf(err, -kind, "cannot rename %s", from);
	else if (kind != XCTL_PIN_OBJ)
		r = refuse(err, kind == XCTL_PIN_SYMLINK ? ELOOP : EISDIR, from,
			   kind == XCTL_PIN_SYMLINK ? "it is a symbolic link" :
			   "it is not a pinned BPF object");
	/* renameat() replaces an entry at to; it never follows a link there */
	else if (renameat(df, lf, dt, lt))
		r = xctl_errf(err, errno, "cannot rename %s to %s", from, to);
	close(dt);
	close(df);
	return r;
}

int xctl_pin_path_mkdir(const struct xctl_bpffs *fs, const char *path,
			struct xctl_err *err)
{
	const char *leaf;
	int dfd, r = 0;

	dfd = open_parent(fs, path, &leaf, err);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, leaf, 0700))
		r = xctl_errf(err, errno, "cannot create %s", path);
	close(dfd);
	return r;
}

int xctl_pin_path_mkdirs(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err)
{
	int dfd = walk(fs, path, true, err);

	if (dfd < 0)
		return dfd;
	close(dfd);
	return 0;
}
