/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internal helpers of lib/core used by the layers above it. */
#ifndef XCTL_CORE_PRIV_H
#define XCTL_CORE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct xctl_err;

/* Largest BPF object xctl reads (the biggest real ones are a few MiB). */
#define XCTL_OBJ_MAX	(64U << 20)

/* A file read once, from one fd, and the sha256 of exactly those bytes. */
struct xctl_file {
	void *data;
	size_t size;
	char sha256[65];
};

/*
 * Read the regular file at path (at most max bytes) without blocking on
 * FIFOs or devices: 0, or -errno with err saying what it is instead.
 */
int xctl_file_read(const char *path, size_t max, struct xctl_file *f,
		   struct xctl_err *err);
void xctl_file_free(struct xctl_file *f);

/* Lower-case hex sha256 of a buffer. */
int xctl_sha256_hex(const void *data, size_t size, char hex[65], struct xctl_err *err);

/*
 * A JSON string of n bytes that may not be UTF-8 (names and text the kernel
 * or a file supplies): valid UTF-8 is kept, each invalid byte becomes
 * U+FFFD, and NUL bytes become U+FFFD too, so the document is never lost.
 */
json_t *xctl_json_text(const char *s, size_t n);

/* ---- xctl's pin tree, walked without following links (pintree.c) ---- */

struct xctl_bpffs;

/*
 * Open directory path (absolute, below fs->root) one component at a time
 * with O_NOFOLLOW, each checked to be on a bpffs: the fd, or -errno with
 * "refusing to use PATH" when a component is a symlink, not a directory or
 * not on a bpffs.
 */
int xctl_pin_opendir(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err);

enum { XCTL_PIN_OBJ, XCTL_PIN_DIR, XCTL_PIN_SYMLINK, XCTL_PIN_OTHER };
/* What entry name of dfd is (not following a link), or -errno. */
int xctl_pin_kind(int dfd, const char *name);
/* bpf_obj_get of pin name in dfd, refusing symlinks and non-pins. */
int xctl_pin_get(int dfd, const char *name, struct xctl_err *err);

/*
 * The same operations on an absolute path below fs->root: the parent is
 * opened with xctl_pin_opendir() (no component may be a link or leave the
 * bpffs) and the last component is acted on relative to it. Each returns
 * 0 (an fd for _get) or -errno with errno set and err (may be NULL) filled.
 *   _get:    bpf_obj_get of a pin, never through a link;
 *   _pin:    bpf_obj_pin at path (an existing entry of any kind: -EEXIST);
 *   _unlink: remove a pin; a link or anything else is refused, left alone;
 *   _rmdir:  remove an empty directory; a link is refused, left alone;
 *   _rename: move pin from over to (whatever is at to is replaced, never
 *            followed); from must be a pin;
 *   _mkdir:  create one directory (mode 0700; -EEXIST when anything is there);
 *   _mkdirs: mkdir -p below fs->root; existing components must be directories.
 */
int xctl_pin_path_get(const struct xctl_bpffs *fs, const char *path,
		      struct xctl_err *err);
int xctl_pin_path_pin(const struct xctl_bpffs *fs, int fd, const char *path,
		      struct xctl_err *err);
int xctl_pin_path_unlink(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err);
int xctl_pin_path_rmdir(const struct xctl_bpffs *fs, const char *path,
			struct xctl_err *err);
int xctl_pin_path_rename(const struct xctl_bpffs *fs, const char *from, const char *to,
			 struct xctl_err *err);
int xctl_pin_path_mkdir(const struct xctl_bpffs *fs, const char *path,
			struct xctl_err *err);
int xctl_pin_path_mkdirs(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err);

/* ---- per-device locks (devlock.c) ---- */

#define XCTL_LOCK_DIR	"/run/xctl"
/*
 * Lock device ifindex of the current network namespace for a multi-step
 * change (blocks while another process holds it): the lock fd, or -errno.
 */
int xctl_dev_lock(int ifindex, struct xctl_err *err);
void xctl_dev_unlock(int fd);

/*
 * Names of the capabilities among CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN
 * missing from the effective set ("CAP_BPF, CAP_SYS_ADMIN") into buf; the
 * count (0: none missing, or the set cannot be read).
 */
size_t xctl_missing_caps(char *buf, size_t len);

#endif
