/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libxctl public API.
 *
 * Conventions every part of the library follows:
 *  - Functions return 0 (or a non-negative count) on success and a negative
 *    errno on failure, and fill the caller's struct xctl_err with what failed,
 *    why and, where there is an obvious fix, a hint. The library never prints
 *    to stdout and never exits.
 *  - Option structs start with a `size_t sz` field set by the caller to
 *    sizeof(struct) it was compiled against (XCTL_OPTS()), so structs can
 *    grow at the end without breaking callers (libbpf's LIBBPF_OPTS pattern).
 *  - Results meant for display are returned as jansson values; the caller
 *    owns the reference it receives.
 */
#ifndef XCTL_H
#define XCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <jansson.h>

#ifndef XCTL_VERSION
#define XCTL_VERSION "0.0.0"
#endif

/* Declare an option struct with sz set: XCTL_OPTS(foo_opts, o, .x = 1); */
#define XCTL_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };	\
	})

/* Field `f` of opts `o` is set if the caller's struct was big enough to hold it. */
#define XCTL_OPT_HAS(o, f)						\
	((o) && (o)->sz >= offsetof(__typeof__(*(o)), f) + sizeof((o)->f))
#define XCTL_OPT(o, f, def) (XCTL_OPT_HAS(o, f) ? (o)->f : (def))

/* ---- errors --------------------------------------------------------- */

struct xctl_err {
	int errnum;		/* positive errno of the failure */
	char what[512];		/* what failed, e.g. "cannot open object foo.o" */
	char why[512];		/* why, when strerror(errnum) is not the best text */
	char hint[512];		/* what to do, when there is an obvious fix */
	char *log;		/* verifier/libbpf log (malloc'd), shown with -d */
};

/* Set what failed and the errno; returns -errnum for `return xctl_errf(...)`. */
int xctl_errf(struct xctl_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Replace the "why" text (default: strerror(errnum)). */
void xctl_err_why(struct xctl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xctl_err_hint(struct xctl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Attach a log (copied). */
void xctl_err_log(struct xctl_err *e, const char *log);
/* "why" text to show: e->why if set, else strerror(e->errnum). */
const char *xctl_err_reason(const struct xctl_err *e);
void xctl_err_reset(struct xctl_err *e);

/* ---- libbpf logging ------------------------------------------------- */

/*
 * libbpf output (including verifier logs) is captured into a buffer instead
 * of being printed; with `echo` set it is also written to stderr (-d).
 * xctl_libbpf_log_take() hands the captured text over (caller frees).
 */
void xctl_libbpf_log_setup(bool echo);
char *xctl_libbpf_log_take(void);
void xctl_libbpf_log_clear(void);

/* ---- bpffs ------------------------------------------------------------ */

#define XCTL_BPFFS_DEFAULT "/sys/fs/bpf"
#define XCTL_PIN_SUBDIR "xctl"

struct xctl_bpffs {
	char root[PATH_MAX];	/* the bpffs mount, e.g. /sys/fs/bpf */
	char base[PATH_MAX];	/* root/xctl: everything xctl pins lives below */
};

struct xctl_bpffs_opts {
	size_t sz;
	const char *dir;	/* NULL: XCTL_BPFFS_DEFAULT */
	bool no_mount;		/* do not mount bpffs when dir is not one */
};

/* Resolve and, unless no_mount, mount the bpffs; create base/. */
int xctl_bpffs_open(struct xctl_bpffs *fs, const struct xctl_bpffs_opts *opts,
		    struct xctl_err *err);
/* Like open but never mounts or creates anything; -ENOENT if not bpffs. */
int xctl_bpffs_probe(struct xctl_bpffs *fs, const char *dir);
/* True if path is on a bpffs (statfs magic). */
bool xctl_is_bpffs(const char *path);
/* out = base/rel; rel must not be absolute or contain "..". */
int xctl_bpffs_path(const struct xctl_bpffs *fs, const char *rel, char *out,
		    size_t outsz, struct xctl_err *err);
/* Check that path (to be created) is on bpffs and below fs->base. */
int xctl_bpffs_check_pin(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err);
/* mkdir -p of base/rel (mode 0700), all of it inside base. */
int xctl_bpffs_mkdir(const struct xctl_bpffs *fs, const char *rel,
		     struct xctl_err *err);

/* ---- kernel features -------------------------------------------------- */

struct xctl_features {
	bool kernel_btf;	/* /sys/kernel/btf/vmlinux readable */
	bool sops_link;		/* link-based struct_ops (BPF_F_LINK, 6.4+) */
	bool sops_link_detach;	/* BPF_LINK_DETACH on struct_ops links (6.11+) */
	bool sops_link_update;	/* BPF_LINK_UPDATE of struct_ops links (6.4+) */
	bool netdev_genl;	/* generic netlink "netdev" family (6.3+) */
	char kernel_release[128];
};

/* Probe once per process (cached). Never fails: unknown means false. */
const struct xctl_features *xctl_features(void);

/* Kernel BTF (vmlinux), loaded once per process and owned by the library. */
struct btf;
struct btf *xctl_kernel_btf(struct xctl_err *err);

/* ---- parsing ------------------------------------------------------------ */

/* arg equals keyword or is a non-empty prefix of it. */
bool xctl_is_prefix(const char *arg, const char *keyword);
/*
 * Index of the keyword of words[] (NULL-terminated) that arg names exactly or
 * as a unique prefix; -1 if none, -2 if ambiguous.
 */
int xctl_keyword_index(const char *arg, const char *const *words);
/* Unsigned decimal or 0x hex, whole string, no sign; -EINVAL / -ERANGE. */
int xctl_parse_u64(const char *s, uint64_t *out);
int xctl_parse_u32(const char *s, uint32_t *out);
/*
 * Split a line of a batch or configuration file into words, as a shell
 * would for simple commands: blanks separate words, '...' quotes literally,
 * "..." quotes with \" and \\ escaped, a backslash outside quotes escapes
 * the next character, and a word starting with # begins a comment that
 * runs to the end of the line. *argv is one malloc'd block (free() it),
 * NULL-terminated; an empty line or comment gives *argc 0. -EINVAL for an
 * unterminated quote or a trailing backslash.
 */
int xctl_split_words(const char *line, int *argc, char ***argv,
		     struct xctl_err *err);

#include "xctl_btf.h"
#include "xctl_struct_ops.h"
#include "xctl_netdev.h"
#include "xctl_control.h"
#include "xctl_xdp.h"
#include "xctl_module.h"

#endif /* XCTL_H */
