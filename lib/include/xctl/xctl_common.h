/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libxctl: what every public header shares.
 *
 * Conventions of the whole installed API:
 *  - Functions return 0 (or a non-negative count) on success and a negative
 *    errno on failure, set errno to that errno (as libbpf does), and fill the
 *    caller's struct xctl_err with what failed, why and, where there is an
 *    obvious fix, a neutral hint. The library never prints, never exits and
 *    never reads the environment; libbpf's print callback belongs to the
 *    application (libbpf_set_print).
 *  - Option structs start with `size_t sz`, set by the caller to the size of
 *    the struct it was compiled against (XCTL_OPTS), so they can grow at the
 *    end without breaking callers (libbpf's LIBBPF_OPTS pattern). A struct
 *    larger than the library knows is accepted only when every byte beyond
 *    the fields it knows is zero; otherwise the call fails with -EINVAL.
 *    A field added in a later version always starts beyond the previous
 *    version's sizeof() (never in its trailing padding), so "beyond the
 *    fields it knows" is "beyond its sizeof()".
 *  - The headers are C11 and C++ (extern "C"); nothing GNU-specific is
 *    required of the caller.
 */
#ifndef XCTL_COMMON_H
#define XCTL_COMMON_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define XCTL_API __attribute__((visibility("default")))
#else
#define XCTL_API
#endif

/* Longest path the library handles (Linux PATH_MAX, without <linux/limits.h>). */
#define XCTL_PATH_MAX 4096

/*
 * Declare a zeroed option struct with sz set, in C:
 *	XCTL_OPTS(xctl_ctl_lookup_opts, o, .value = &v, .value_sz = sizeof(v));
 * In C++: `struct xctl_ctl_lookup_opts o = {}; o.sz = sizeof(o);` and then
 * assign the fields.
 */
#define XCTL_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

/* ---- errors --------------------------------------------------------- */

/*
 * Filled by every failing call; lives on the caller's stack. Start it zeroed
 * (`struct xctl_err err = {0};`) and call xctl_err_reset() when done with it
 * (it may own `log`).
 */
struct xctl_err {
	int errnum;		/* positive errno of the failure */
	char what[512];		/* what failed, e.g. "cannot open object foo.o" */
	char why[512];		/* why, when strerror(errnum) is not the best text */
	char hint[512];		/* what to do, worded for any program */
	char *log;		/* verifier/libbpf log (malloc'd) or NULL */
	unsigned int hint_code;	/* enum xctl_hint: the fix as a code, 0: none */
	char hint_arg[2][128];	/* what the fix names (a path, a name, a count) */
};

/*
 * Fixes an application may word in its own terms (a CLI names its options
 * and commands); err->hint holds a neutral wording of the same advice, and
 * hint_arg[] what it names, as listed here.
 */
enum xctl_hint {
	XCTL_HINT_NONE = 0,
	XCTL_HINT_UNREGISTER_PIN,	/* [0] pin path: unregister what is pinned there */
	XCTL_HINT_UNLOAD_MODULE,	/* [0] module: unload it first */
	XCTL_HINT_LIST_STRUCT_OPS,	/* list the struct_ops maps */
	XCTL_HINT_DETACH_IFINDEX,	/* [0] ifindex: detach its XDP program */
	XCTL_HINT_BPFFS_PER_NETNS,	/* one bpffs per network namespace */
	XCTL_HINT_REPLACE,		/* retry with the replace option */
	XCTL_HINT_FORCE_DETACH,		/* retry with the force option */
	XCTL_HINT_LIST_DEVICES,		/* list the devices (or another netns) */
	XCTL_HINT_RING_SIZE,		/* leave the ring size unchanged */
	XCTL_HINT_TX_CHANNELS,		/* [0] count, [1] device: use that count
					 * or raise the device's RX channels */
	XCTL_HINT_TEARDOWN,		/* [0] device: tear its redirect setup down */
	XCTL_HINT_REDIRECT_SHOW,	/* show the redirect setup */
	XCTL_HINT_CONTROL_DUMP,		/* [0] control type: dump it instead */
	XCTL_HINT_CONTROL_TYPES,	/* list the control types */
	XCTL_HINT_CONTROL_BTF_KEY,	/* [0] control type: give a key */
	XCTL_HINT_FORCE_UNLOAD,		/* stop the users, or force the unload */
	XCTL_HINT_LEGACY,		/* register the legacy way (no links) */
	XCTL_HINT_LOAD_MODULE,		/* [0] module: load it */
	XCTL_HINT_BPFFS_MOUNT,		/* pass a directory that is a bpffs */
	XCTL_HINT_PIN_ROOT,		/* [0] bpffs root: use a directory below it */
	XCTL_HINT_RELOAD_PARAM,		/* [0] module, [1] parameter: reload the
					 * module with a new value of it */
	XCTL_HINT_CONFIG_DIR,		/* [0], [1] the directory: create its
					 * modules.d and xdp.d, or name another */
	XCTL_HINT_LOAD_AS_MODULE,	/* load the object as a module (pins maps) */
	XCTL_HINT_MAX,
};

/*
 * strerror() that also names the kernel-internal errnos bpf(2) returns,
 * which libc calls "Unknown error 524" (ENOTSUPP). Every message of libxctl
 * uses it. errnum may be negative.
 */
XCTL_API const char *xctl_strerror(int errnum);
/* "why" text to show: e->why if set, else xctl_strerror(e->errnum). */
XCTL_API const char *xctl_err_reason(const struct xctl_err *e);
/* Free what e owns and zero it for reuse. */
XCTL_API void xctl_err_reset(struct xctl_err *e);

/* The library's version, "MAJOR.MINOR.PATCH". */
XCTL_API const char *xctl_version(void);

#ifdef __cplusplus
}
#endif

#endif /* XCTL_COMMON_H */
