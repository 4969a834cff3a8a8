/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal helpers shared by the BTF walker (btf_walk.c), the member path /
 * value writer (btf_member.c) and the C declaration dumper (btf_cdecl.c).
 * Every helper validates what it touches (type ids in range, reference
 * chains without loops, sizes that fit) so that malformed BTF gives -EINVAL
 * and a message, never a crash: libbpf 1.1's btf__new() checks the layout of
 * the type section but not the ids a type refers to.
 */
#ifndef XCTL_BTF_PRIV_H
#define XCTL_BTF_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>
#include <jansson.h>

struct xctl_err;

/* Longest typedef/const/volatile/restrict/type_tag chain (as libbpf's). */
#define XBTF_MAX_CHAIN		32
/* Deepest nesting of structs, unions and arrays inside one value. */
#define XBTF_MAX_DEPTH		32
/* Largest array rendered element by element. */
#define XBTF_MAX_ELEMS		(1U << 20)
/* Largest value size accepted (BTF sizes are 32-bit). */
#define XBTF_MAX_SIZE		UINT32_MAX

typedef unsigned __int128 xbtf_u128;

/* -EINVAL, "malformed BTF" with the formatted details as the reason. */
int xbtf_malformed(struct xctl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "struct foo", "typedef bar", "int", "anonymous union" for messages. */
const char *xbtf_desc(const struct btf *btf, uint32_t id, char *buf, size_t len);

/* Type `id`, or NULL with -EINVAL in err when id is out of range. */
const struct btf_type *xbtf_type(const struct btf *btf, uint32_t id,
				 struct xctl_err *err);

/* Name at a string offset; NULL (and err set) when the offset is invalid. */
const char *xbtf_str(const struct btf *btf, uint32_t off, uint32_t owner,
		     struct xctl_err *err);

/*
 * Follow typedef/const/volatile/restrict/type_tag (and VAR, decl_tag) from
 * id to the type that carries the value. Returns the resolved id (>= 0) and
 * sets *t, or -EINVAL for ids out of range and reference loops.
 */
int xbtf_skip(const struct btf *btf, uint32_t id, const struct btf_type **t,
	      struct xctl_err *err);

/*
 * Byte size of a value of type id, validating the kinds met on the way
 * (int/enum/float sizes, array sizes). -EINVAL for types without a value
 * (void, functions, forward declarations) and malformed BTF.
 */
int xbtf_size(const struct btf *btf, uint32_t id, uint64_t *size,
	      struct xctl_err *err);

/* Validate an INT / ENUM / ENUM64 / FLOAT type's own encoding. */
int xbtf_check_scalar(const struct btf *btf, uint32_t id,
		      const struct btf_type *t, struct xctl_err *err);

/*
 * Where member `idx` of composite `t` (id `owner`) lives: bit offset from the
 * start of the composite and bitfield width (0: not a bitfield). Handles both
 * encodings: kflag (width in the member's offset) and the older one, where the
 * member's type is an INT with fewer bits than its size or a bit offset.
 * rid and rt receive the member's resolved type. Checks that the member lies inside
 * the composite.
 */
int xbtf_member_loc(const struct btf *btf, uint32_t owner,
		    const struct btf_type *t, int idx, uint64_t *bit_off,
		    uint32_t *nbits, uint32_t *rid, const struct btf_type **rt,
		    struct xctl_err *err);

/* Read / write nbits (1..128) at bit offset bit_off of p (BTF bit order). */
xbtf_u128 xbtf_get_bits(const void *p, uint64_t bit_off, uint32_t nbits);
void xbtf_put_bits(void *p, uint64_t bit_off, uint32_t nbits, xbtf_u128 v);

/* Is t (resolved) a character type, so that an array of it is a string? */
bool xbtf_is_char(const struct btf *btf, const struct btf_type *t);

/* Check every type id and string offset of the whole BTF (for libbpf's dumper). */
int xbtf_check_refs(const struct btf *btf, struct xctl_err *err);

/*
 * Check a whole BTF the way an object's BTF must be before libbpf parses it:
 * ids and names in range, no typedef/modifier/pointer/array/prototype loops
 * (libbpf follows them without a bound), sane scalar sizes, members inside
 * their structs.
 */
int xbtf_check_all(const struct btf *btf, struct xctl_err *err);

/*
 * Check a BPF ELF object image before libbpf parses it: ELF64 of this host's
 * byte order, machine BPF, section data inside the image, symbols and
 * relocations inside their tables and sections, .BTF with
 * xbtf_check_all(), .BTF.ext records naming types and strings that exist.
 * 0, or -ENOEXEC with "cannot open object PATH" and what is wrong.
 */
int xbtf_check_object(const void *image, size_t size, const char *path,
		      struct xctl_err *err);

/*
 * Render the member of a value of type_id at bit_off (nbits: bitfield width,
 * 0 for none), as xctl_btf_member_path() found it (lib/btf/btf_walk.c). The
 * walker never resolves paths itself: btf_member.c sits on top of it.
 */
/*
 * The one btf_dump wrapper for a declaration: "TYPE FIELD" as C spells it
 * (field_name "" for the type alone; strip_mods drops const/volatile),
 * malloc'd, bounded like xctl_btf_c_decl(); NULL when it cannot be made.
 * Whole definitions are xctl_btf_c_decl() (lib/btf/btf_cdecl.c).
 */
char *xbtf_decl_text(const struct btf *btf, uint32_t type_id, const char *field_name,
		     bool strip_mods);

struct xctl_btf_dump_opts;
int xbtf_walk_member(const struct btf *btf, uint32_t type_id, const void *data,
		     size_t size, uint32_t mid, size_t bit_off, uint32_t nbits,
		     const struct xctl_btf_dump_opts *opts, json_t **out,
		     struct xctl_err *err);

#endif /* XCTL_BTF_PRIV_H */
