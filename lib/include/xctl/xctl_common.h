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
 *    application (libbpf_set_print()).
 *  - Option structs start with `size_t sz`, set by the caller to the size of
 *    the struct it was compiled against (XCTL_OPTS), so they can grow at the
 *    end without breaking callers (libbpf's LIBBPF_OPTS pattern). A struct
 *    larger than the library knows is accepted only when every byte beyond
 *    the fields it knows is zero; otherwise the call fails with -EINVAL.
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
};

/*
 * Fixes a caller can offer in its own words (a CLI names its own options);
 * err->hint holds a neutral wording of the same advice.
 */
enum xctl_hint {
	XCTL_HINT_NONE = 0,
	XCTL_HINT_FORCE,		/* retry with the operation's force option */
	XCTL_HINT_REPLACE,		/* retry with the replace option */
	XCTL_HINT_LEGACY,		/* register the legacy way (no links) */
	XCTL_HINT_UNLOAD,		/* unload the module named in the message */
	XCTL_HINT_UNREGISTER,		/* unregister the struct_ops first */
	XCTL_HINT_BPFFS,		/* pass another bpffs directory */
	XCTL_HINT_LIST,			/* list what exists (the object's list/show) */
	XCTL_HINT_DETACH,		/* detach what is attached first */
	XCTL_HINT_TEARDOWN,		/* tear the redirect setup down first */
	XCTL_HINT_CHANNELS,		/* choose another channel count */
	XCTL_HINT_RING_SIZE,		/* leave the ring size unchanged */
	XCTL_HINT_LOAD,			/* load the module first */
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
