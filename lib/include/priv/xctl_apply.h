/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Declared state and its convergence (DESIGN.md §8, `xctl apply`); private
 * to libxctl and the CLI (JSON-shaped, not installed).
 *
 * A configuration directory (default /etc/xctl) holds
 *
 *   DIR/modules.d/<any>.conf   each line: the arguments of one
 *                              `xctl module load`
 *   DIR/xdp.d/<any>.conf       each line: the arguments of one `xctl xdp`
 *                              command, `attach ...` or `redirect setup ...`
 *
 * read in lexical order of the file names, in the spirit of modules-load.d.
 * The library reads and splits the lines, compares what a line declares
 * with what the kernel runs, and keeps the records apply needs; the caller
 * parses each line with the command's own grammar and performs the
 * actions.
 */
#ifndef XCTL_APPLY_H
#define XCTL_APPLY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "xctl.h"

struct xctl_err;
struct xctl_bpffs;
struct xctl_xdp_attach_opts;
struct xctl_redirect_opts;

#define XCTL_APPLY_CONFIG_DEFAULT	"/etc/xctl"

enum xctl_decl_kind {
	XCTL_DECL_MODULE,		/* modules.d */
	XCTL_DECL_XDP,			/* xdp.d */
};

/* One declaration: a non-empty, non-comment line of a .conf file. */
struct xctl_decl {
	enum xctl_decl_kind kind;
	char file[PATH_MAX];		/* DIR/modules.d/NAME.conf */
	unsigned int line;		/* 1-based; 0: the file itself */
	int argc;
	char **argv;			/* the line's words (xctl_split_words()) */
	char error[PATH_MAX + 512];	/* non-empty: the line or file is unusable */
};

struct xctl_decls {
	struct xctl_decl *v;
	size_t cnt;
};

/*
 * Read every DIR/modules.d/ *.conf, then every DIR/xdp.d/ *.conf, each in
 * lexical order (a missing .d directory declares nothing). A file that
 * cannot be read or a line that cannot be split is a declaration with
 * `error` set, so the others still apply. -ENOENT/-ENOTDIR/-EACCES when DIR
 * itself cannot be read: nothing is declared, and nothing may be pruned.
 */
int xctl_decls_read(const char *dir, struct xctl_decls *d, struct xctl_err *err);
void xctl_decls_free(struct xctl_decls *d);

/*
 * Exclusive lock of the xctl tree of fs (its base directory), held while
 * the returned fd is open; a process that dies releases it. With !wait,
 * -EWOULDBLOCK when another process holds it.
 */
int xctl_apply_lock(const struct xctl_bpffs *fs, bool wait, struct xctl_err *err);

/* How what runs compares with a declaration: enum xctl_match (xctl_module.h). */

/*
 * An XDP attachment apply made: the xctl link pinned for ifindex's device,
 * and a record of what was declared, pinned at
 * <bpffs>/xctl/apply/xdp/<ifname> (a module meta map: object path and
 * sha256, and {prog, mode, dev_bound, pin_root, max_entries, link_id,
 * prog_id} as its parameters). The attachment matches when the link still
 * runs the program apply attached, from an object with the declared sha256
 * and options. why (len bytes) says what differs.
 */
int xctl_apply_xdp_compare(const struct xctl_bpffs *fs, int ifindex,
			   const char *obj_path,
			   const struct xctl_xdp_attach_opts *opts,
			   enum xctl_match *match, char *why, size_t len,
			   struct xctl_err *err);
/* Record a successful attach of obj_path to ifindex (after xctl_xdp_attach()). */
int xctl_apply_xdp_record(const struct xctl_bpffs *fs, int ifindex,
			  const char *obj_path,
			  const struct xctl_xdp_attach_opts *opts,
			  struct xctl_err *err);
/* Drop the record of ifname, if any. */
void xctl_apply_xdp_forget(const struct xctl_bpffs *fs, const char *ifname);
/*
 * Devices of this network namespace running an XDP program through xctl's
 * pinned link (`xctl xdp attach`, apply): a JSON array of names.
 */
int xctl_apply_xdp_list(const struct xctl_bpffs *fs, json_t **names,
			struct xctl_err *err);

/*
 * A redirect setup of ifindex against the declared opts (rings, ring_size):
 * ABSENT without a record; REPLACE when the record is incomplete, asked
 * for other values, or the device no longer is a ready target with those
 * values (teardown, then setup); else SAME.
 */
int xctl_apply_redirect_compare(int ifindex, const struct xctl_redirect_opts *opts,
				enum xctl_match *match, char *why, size_t len,
				struct xctl_err *err);
/* Devices of this network namespace with a redirect setup record: names. */
int xctl_apply_redirect_list(const struct xctl_redirect_opts *opts,
			     json_t **names, struct xctl_err *err);

#endif /* XCTL_APPLY_H */
