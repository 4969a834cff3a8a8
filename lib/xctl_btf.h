/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one generic BTF value walker. Every BTF-described value xctl shows
 * (struct_ops values, control-map values, kernel stats, module metadata) is
 * rendered through it, to JSON; text is the same JSON rendered by
 * xctl_json_to_text(), so JSON and text never disagree.
 *
 * JSON mapping:
 *   int/bitfield -> integer (unsigned values above INT64_MAX -> decimal string)
 *   char[N]      -> string up to the first NUL (array of ints if not printable)
 *   enum/enum64  -> enumerator name, or the number when none matches
 *   struct/union -> object of members; anonymous members merged into it
 *   array        -> array
 *   float        -> real
 *   pointer      -> integer (address); pointer to a function prototype with
 *                   XCTL_BTF_FPTR_PROG: {"prog_id": N, "prog_name": "..."}
 *                   (null when 0), as struct_ops values hold program ids there
 *   typedef/const/volatile/restrict/type_tag -> the type they qualify
 */
#ifndef XCTL_BTF_H
#define XCTL_BTF_H

#include <stdint.h>
#include <stddef.h>
#include <jansson.h>

struct btf;
struct xctl_err;

enum xctl_btf_flags {
	/* Function pointers hold BPF program ids (struct_ops map values). */
	XCTL_BTF_FPTR_PROG = 1U << 0,
};

struct xctl_btf_dump_opts {
	size_t sz;
	unsigned int flags;		/* enum xctl_btf_flags */
	/*
	 * Look up a program name by id for XCTL_BTF_FPTR_PROG; NULL uses
	 * bpf_prog_get_fd_by_id + bpf_obj_get_info_by_fd. Return 0 on success.
	 */
	int (*prog_name)(uint32_t id, char *buf, size_t len, void *ctx);
	void *ctx;
};

/*
 * Render `size` bytes at `data`, typed `type_id` in `btf`, as JSON.
 * Fails with -EINVAL on malformed BTF (ids out of range, reference loops,
 * sizes that do not fit `size`) instead of crashing.
 */
int xctl_btf_to_json(const struct btf *btf, uint32_t type_id, const void *data,
		     size_t size, const struct xctl_btf_dump_opts *opts,
		     json_t **out, struct xctl_err *err);

/* Same, rendered as indented text (caller frees). */
int xctl_btf_to_text(const struct btf *btf, uint32_t type_id, const void *data,
		     size_t size, const struct xctl_btf_dump_opts *opts,
		     char **out, struct xctl_err *err);

/* Check that type_id and everything it references can be walked. */
int xctl_btf_check_type(const struct btf *btf, uint32_t type_id,
			struct xctl_err *err);

/* C declaration of a type and what it needs (like `bpftool btf dump format c`). */
int xctl_btf_c_decl(const struct btf *btf, uint32_t type_id, char **out,
		    struct xctl_err *err);

/*
 * Render any JSON value as indented "key: value" text, the plain-text form of
 * every result document. Objects: one "key: value" line per member, nested
 * objects/arrays of objects indented below their key; arrays of scalars on one
 * line separated by ", "; null as "-"; booleans as yes/no. Caller frees.
 */
char *xctl_json_to_text(const json_t *v, int indent);

#endif /* XCTL_BTF_H */
