/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one generic BTF value walker. Every BTF-described value xctl shows
 * (struct_ops values, control-map values, kernel stats, module metadata) is
 * rendered through it, to JSON (jansson); an application renders that
 * document as text itself, so its JSON and text never disagree.
 *
 * JSON mapping:
 *   int/bitfield -> integer (unsigned values above INT64_MAX -> decimal string;
 *                   integers wider than 64 bits, e.g. __int128 -> "0x..." hex
 *                   string of their bits, two's complement for negatives)
 *   _Bool        -> true/false (a byte other than 0/1 -> that integer)
 *   char[N]      -> string up to the first NUL (array of ints if it holds
 *                   control characters or invalid UTF-8); arrays of
 *                   signed/unsigned char (u8, __s8) stay arrays of ints
 *   enum/enum64  -> enumerator name, or the number when none matches (signed
 *                   when the enum is: BTF kflag)
 *   struct/union -> object of members (a union shows every member); members
 *                   of anonymous struct/union members merged into it; unnamed
 *                   padding bitfields omitted
 *   array        -> array (multi-dimensional: nested arrays)
 *   float        -> real (2, 4, 8, 16 bytes); NaN/inf -> "nan", "inf", "-inf"
 *   pointer      -> integer (address); pointer to a function prototype with
 *                   XCTL_BTF_FPTR_PROG: {"prog_id": N, "prog_name": "..."}
 *                   (null when 0; prog_name null when the program cannot be
 *                   looked up), as struct_ops values hold program ids there
 *   section      -> (DATASEC, e.g. .rodata) object of its variables
 *   typedef/const/volatile/restrict/type_tag/decl_tag/var -> the type they
 *                   qualify
 * Limits that make malformed BTF fail cleanly (-EINVAL): 32 typedef/modifier
 * hops, 32 levels of nesting, 2^20 elements per array, 4 GiB per value.
 */
#ifndef XCTL_BTF_H
#define XCTL_BTF_H

#include <stdint.h>
#include <stddef.h>
#include <jansson.h>
#include "xctl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct btf;

enum xctl_btf_flags {
	/* Function pointers hold BPF program ids (struct_ops map values). */
	XCTL_BTF_FPTR_PROG = 1U << 0,
};

struct xctl_btf_dump_opts {
	size_t sz;
	unsigned int flags;		/* enum xctl_btf_flags */
	/*
	 * Look up a program name by id for XCTL_BTF_FPTR_PROG; NULL uses
	 * bpf_prog_get_fd_by_id + bpf_obj_get_info_by_fd (and the program's
	 * BTF for names longer than the kernel's 15 characters). Return 0 on
	 * success; on failure prog_name is null.
	 */
	int (*prog_name)(uint32_t id, char *buf, size_t len, void *ctx);
	void *ctx;
	/*
	 * Bit i set: member i of the value (a struct or union) is shown as
	 * null, e.g. the members a control-map lookup reports absent
	 * (struct xctl_ctl_lookup_opts.absent): never a made-up 0.
	 */
	uint64_t null_members;
};
#define xctl_btf_dump_opts__last_field null_members

/*
 * Render `size` bytes at `data`, typed `type_id` in `btf`, as JSON.
 * Fails with -EINVAL on malformed BTF (ids out of range, reference loops,
 * members outside their struct) instead of crashing, and when `size` is
 * smaller than the type (pass the type of the prefix to render a prefix);
 * bytes beyond the type's size are ignored.
 */
XCTL_API int xctl_btf_to_json(const struct btf *btf, uint32_t type_id, const void *data,
			      size_t size, const struct xctl_btf_dump_opts *opts,
			      json_t **out, struct xctl_err *err);

/*
 * Check that a value of type_id can be rendered: the type and everything it
 * holds by value (pointer targets are not followed, as the walker does not
 * follow them). 0, or -EINVAL with the same message rendering would give.
 */
XCTL_API int xctl_btf_check_type(const struct btf *btf, uint32_t type_id,
				 struct xctl_err *err);

/*
 * C declaration of a type and what it needs (like `bpftool btf dump format c`):
 * definitions of the struct/union/enum/typedef and its dependencies; for a
 * variable or function, its declaration ("unsigned int ssthresh;"); for a
 * section (DATASEC), a declaration per variable; for other kinds (int,
 * pointer, array), the type's name on a line of its own. Caller frees *out.
 */
XCTL_API int xctl_btf_c_decl(const struct btf *btf, uint32_t type_id, char **out,
			     struct xctl_err *err);

/*
 * Find a member by path in a struct/union/section type: "rings.num", with
 * decimal array indexes ("queues[3].rx", "m[1][2]") and members of anonymous
 * structs/unions found as if they were the parent's; DATASEC variables count
 * as members. An empty path names type_id itself. Reports the member's
 * declared type (possibly a typedef), its bit offset from the start of
 * type_id, and its bitfield width (0: not a bitfield; both BTF bitfield
 * encodings are reported this way). Any output pointer may be NULL.
 * -ENOENT when a name is not a member (the hint lists the members),
 * -EINVAL for bad paths and malformed BTF.
 */
XCTL_API int xctl_btf_member_path(const struct btf *btf, uint32_t type_id,
				  const char *path, uint32_t *member_type_id,
				  size_t *bit_offset, uint32_t *bitfield_size,
				  struct xctl_err *err);

/*
 * Render only the member at `path` (as xctl_btf_member_path() finds it) of
 * the type_id value in data, e.g. "data.name" of a struct_ops value.
 */
XCTL_API int xctl_btf_member_to_json(const struct btf *btf, uint32_t type_id,
				     const void *data, size_t size, const char *path,
				     const struct xctl_btf_dump_opts *opts, json_t **out,
				     struct xctl_err *err);

/*
 * The words a value of type_id accepts when the set is finite: an enum's
 * enumerator names, or "true"/"false" for a bool. NULL for other types
 * (and on errors). New reference.
 */
json_t *xctl_btf_choices(const struct btf *btf, uint32_t type_id);

/*
 * The member paths xctl_btf_set_member() can set in a struct or union
 * type_id, nested members joined with '.' ("rings.num"):
 * [{"path": P, "choices": [...]?}] (choices as xctl_btf_choices()).
 */
int xctl_btf_member_paths(const struct btf *btf, uint32_t type_id, json_t **out,
			  struct xctl_err *err);

/*
 * Parse value_text for the member at `path` of the type_id value in data
 * (size bytes, at least the type's size) and store it there, leaving every
 * other bit unchanged. Accepted:
 *   integers, bitfields: decimal or 0x hex, '-' only for signed types,
 *                        range-checked against the width (-ERANGE)
 *   bool (_Bool):        true/false, yes/no, on/off, 1/0
 *   enums:               an enumerator name, or a number in range
 *   char arrays:         a string that fits with its NUL (rest zeroed)
 *   float/double:        a decimal number
 * Structs, unions, pointers and other arrays are refused (-EINVAL): set
 * their members instead.
 */
XCTL_API int xctl_btf_set_member(const struct btf *btf, uint32_t type_id, void *data,
				 size_t size, const char *path, const char *value_text,
				 struct xctl_err *err);

#ifdef __cplusplus
}
#endif

#endif /* XCTL_BTF_H */
