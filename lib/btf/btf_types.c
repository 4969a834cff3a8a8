// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Checked access to BTF types (lib/btf_priv.h): every id, string offset,
 * reference chain and size is validated before it is used, so malformed BTF
 * ends in -EINVAL with a message instead of a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xctl_priv.h"
#include "btf_priv.h"

static const char *const kind_names[] = {
	[BTF_KIND_UNKN] = "void",	[BTF_KIND_INT] = "int",
	[BTF_KIND_PTR] = "pointer",	[BTF_KIND_ARRAY] = "array",
	[BTF_KIND_STRUCT] = "struct",	[BTF_KIND_UNION] = "union",
	[BTF_KIND_ENUM] = "enum",	[BTF_KIND_FWD] = "forward declaration",
	[BTF_KIND_TYPEDEF] = "typedef",	[BTF_KIND_VOLATILE] = "volatile",
	[BTF_KIND_CONST] = "const",	[BTF_KIND_RESTRICT] = "restrict",
	[BTF_KIND_FUNC] = "function",	[BTF_KIND_FUNC_PROTO] = "function prototype",
	[BTF_KIND_VAR] = "variable",	[BTF_KIND_DATASEC] = "section",
	[BTF_KIND_FLOAT] = "float",	[BTF_KIND_DECL_TAG] = "decl_tag",
	[BTF_KIND_TYPE_TAG] = "type_tag", [BTF_KIND_ENUM64] = "enum64",
};

int xbtf_malformed(struct xctl_err *err, const char *fmt, ...)
{
	va_list ap;
	int r;

	r = xctl_errf(err, EINVAL, "malformed BTF");
	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->why, sizeof(err->why), fmt, ap);
		va_end(ap);
	}
	return r;
}

const char *xbtf_desc(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *kind = "unknown kind", *name = NULL;

	if (!t) {
		snprintf(buf, len, "[%u] (invalid id)", id);
		return buf;
	}
	if (btf_kind(t) < sizeof(kind_names) / sizeof(kind_names[0]))
		kind = kind_names[btf_kind(t)];
	if (t->name_off)
		name = btf__str_by_offset(btf, t->name_off);
	if (name && *name)
		snprintf(buf, len, "[%u] %s '%s'", id, kind, name);
	else
		snprintf(buf, len, "[%u] %s%s", id, id ? "anonymous " : "", kind);
	return buf;
}

const struct btf_type *xbtf_type(const struct btf *btf, uint32_t id,
				 struct xctl_err *err)
{
	const struct btf_type *t = NULL;

	if (id < btf__type_cnt(btf))
		t = btf__type_by_id(btf, id);
	if (!t)
		xbtf_malformed(err, "type id %u out of range (%u types)",
			       id, btf__type_cnt(btf));
	return t;
}

const char *xbtf_str(const struct btf *btf, uint32_t off, uint32_t owner,
		     struct xctl_err *err)
{
	const char *s = btf__str_by_offset(btf, off);

	if (!s)
		xbtf_malformed(err,
			       "type [%u] has a name offset %u outside the string section",
			       owner, off);
	return s;
}

/* Kinds whose value is the value of the type they refer to. */
static bool is_alias(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
		return true;
	case BTF_KIND_DECL_TAG:
		return true;
	default:
		return false;
	}
}

int xbtf_skip(const struct btf *btf, uint32_t id, const struct btf_type **t,
	      struct xctl_err *err)
{
	uint32_t start = id;
	char d[160];
	int hops;

	for (hops = 0; hops <= XBTF_MAX_CHAIN; hops++) {
		*t = xbtf_type(btf, id, err);
		if (!*t)
			return -EINVAL;
		if (!is_alias(*t))
			return id;
		id = (*t)->type;
	}
	return xbtf_malformed(err,
			      "type %s is part of a reference loop (more than %d typedef/modifier hops)",
			      xbtf_desc(btf, start, d, sizeof(d)), XBTF_MAX_CHAIN);
}

static bool size_in(uint32_t sz, uint32_t allowed_mask)
{
	return sz < 32 && (allowed_mask & (1U << sz));
}

#define SZ(n) (1U << (n))

int xbtf_check_scalar(const struct btf *btf, uint32_t id,
		      const struct btf_type *t, struct xctl_err *err)
{
	char d[160];
	uint32_t bits, off;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		bits = btf_int_bits(t);
		off = btf_int_offset(t);
		if (!size_in(t->size, SZ(1) | SZ(2) | SZ(4) | SZ(8) | SZ(16)) ||
		    !bits || bits + off > t->size * 8)
			return xbtf_malformed(err,
					      "%s has size %u, %u bits at bit %u",
					      xbtf_desc(btf, id, d, sizeof(d)), t->size, bits, off);
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!size_in(t->size, SZ(1) | SZ(2) | SZ(4) | SZ(8)))
			return xbtf_malformed(err, "%s has size %u",
					      xbtf_desc(btf, id, d, sizeof(d)), t->size);
		return 0;
	case BTF_KIND_FLOAT:
		if (!size_in(t->size, SZ(2) | SZ(4) | SZ(8) | SZ(12) | SZ(16)))
			return xbtf_malformed(err, "%s has size %u",
					      xbtf_desc(btf, id, d, sizeof(d)), t->size);
		return 0;
	default:
		return 0;
	}
}

/*
 * A member or array element is a type: not a section, a variable or a
 * decl_tag, even behind typedefs (btf_dump divides by the alignment of such
 * members, which is 0).
 */
static int check_nested(const struct btf *btf, uint32_t owner, uint32_t id,
			struct xctl_err *err)
{
	const struct btf_type *t;
	char d[160], d2[160];
	int hops;

	for (hops = 0; hops <= XBTF_MAX_CHAIN; hops++) {
		t = xbtf_type(btf, id, err);
		if (!t)
			return -EINVAL;
		if (btf_is_var(t) || btf_is_datasec(t) || btf_is_decl_tag(t))
			return xbtf_malformed(err, "%s holds %s",
					      xbtf_desc(btf, owner, d, sizeof(d)),
					      xbtf_desc(btf, id, d2, sizeof(d2)));
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return 0;
		id = t->type;
	}
	return xbtf_malformed(err,
			      "a member of %s is part of a reference loop",
			      xbtf_desc(btf, owner, d, sizeof(d)));
}

static int size_of(const struct btf *btf, uint32_t id, uint64_t *size,
		   int depth, struct xctl_err *err)
{
	const struct btf_type *t;
	const struct btf_array *a;
	uint64_t esz;
	char d[160];
	int rid, r;

	rid = xbtf_skip(btf, id, &t, err);
	if (rid < 0)
		return rid;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		r = xbtf_check_scalar(btf, rid, t, err);
		if (r)
			return r;
		/* fallthrough */
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		*size = t->size;
		return 0;
	case BTF_KIND_PTR:
		*size = btf__pointer_size(btf);
		if (!*size)
			*size = sizeof(void *);
		return 0;
	case BTF_KIND_ARRAY:
		if (depth >= XBTF_MAX_DEPTH)
			return xbtf_malformed(err,
					      "%s nests arrays deeper than %d levels",
					      xbtf_desc(btf, rid, d, sizeof(d)), XBTF_MAX_DEPTH);
		a = btf_array(t);
		if (!xbtf_type(btf, a->index_type, err))
			return -EINVAL;
		r = check_nested(btf, rid, a->type, err);
		if (r)
			return r;
		r = size_of(btf, a->type, &esz, depth + 1, err);
		if (r)
			return r;
		/*
		 * Arrays of empty structs exist in kernel BTF (lock_class_key
		 * without lockdep); XBTF_MAX_ELEMS bounds rendering them.
		 */
		if (a->nelems && esz > XBTF_MAX_SIZE / a->nelems)
			return xbtf_malformed(err,
					      "%s is larger than 4 GiB (%u elements of %llu bytes)",
					      xbtf_desc(btf, rid, d, sizeof(d)), a->nelems,
					      (unsigned long long)esz);
		*size = esz * a->nelems;
		return 0;
	default:
		r = xctl_errf(err, EINVAL, "type %s has no value",
			      xbtf_desc(btf, rid, d, sizeof(d)));
		xctl_err_why(err, "only data types can be rendered or set, not functions, "
			     "forward declarations or void");
		return r;
	}
}

int xbtf_size(const struct btf *btf, uint32_t id, uint64_t *size,
	      struct xctl_err *err)
{
	return size_of(btf, id, size, 0, err);
}

int xbtf_member_loc(const struct btf *btf, uint32_t owner,
		    const struct btf_type *t, int idx, uint64_t *bit_off,
		    uint32_t *nbits, uint32_t *rid, const struct btf_type **rt,
		    struct xctl_err *err)
{
	const struct btf_member *m = btf_members(t) + idx;
	uint64_t off = btf_member_bit_offset(t, idx), msz;
	uint32_t bf = btf_member_bitfield_size(t, idx);
	const char *name;
	char d[160];
	int r;

	name = xbtf_str(btf, m->name_off, owner, err);
	if (!name)
		return -EINVAL;
	r = check_nested(btf, owner, m->type, err);
	if (r)
		return r;
	r = xbtf_skip(btf, m->type, rt, err);
	if (r < 0)
		return r;
	*rid = r;
	r = xbtf_check_scalar(btf, *rid, *rt, err);
	if (r)
		return r;
	/* Older encoding: the bitfield is described by the INT type itself. */
	if (!bf && btf_is_int(*rt) &&
	    (btf_int_offset(*rt) || btf_int_bits(*rt) != (*rt)->size * 8)) {
		off += btf_int_offset(*rt);
		bf = btf_int_bits(*rt);
	}
	if (bf) {
		if (!btf_is_int(*rt) && !btf_is_any_enum(*rt))
			return xbtf_malformed(err,
					      "bitfield member '%s' of %s is not an integer",
					      name, xbtf_desc(btf, owner, d, sizeof(d)));
		if (bf > (*rt)->size * 8 || off + bf > (uint64_t)t->size * 8)
			return xbtf_malformed(err,
					      "bitfield member '%s' of %s (%u bits at bit %llu) does not fit",
					      name, xbtf_desc(btf, owner, d, sizeof(d)), bf,
					      (unsigned long long)off);
	} else {
		r = xbtf_size(btf, m->type, &msz, err);
		if (r)
			return r;
		if (off % 8)
			return xbtf_malformed(err,
					      "member '%s' of %s starts at bit %llu, inside a byte",
					      name, xbtf_desc(btf, owner, d, sizeof(d)),
					      (unsigned long long)off);
		if (off / 8 + msz > t->size)
			return xbtf_malformed(err,
					      "member '%s' of %s (offset %llu, size %llu) exceeds its size %u",
					      name, xbtf_desc(btf, owner, d, sizeof(d)),
					      (unsigned long long)off / 8,
					      (unsigned long long)msz, t->size);
	}
	*bit_off = off;
	*nbits = bf;
	return 0;
}

/*
 * BTF bit offsets follow the byte order: on little endian bit 0 is the least
 * significant bit of byte 0, on big endian the most significant one.
 */
xbtf_u128 xbtf_get_bits(const void *p, uint64_t bit_off, uint32_t nbits)
{
	const uint8_t *b = p;
	xbtf_u128 v = 0;
	uint32_t i;

	if (bit_off % 8 == 0 && (nbits == 8 || nbits == 16 || nbits == 32 ||
				 nbits == 64 || nbits == 128)) {
		b += bit_off / 8;
		switch (nbits) {
		case 8:  return *b;
		case 16: { uint16_t x; memcpy(&x, b, 2); return x; }
		case 32: { uint32_t x; memcpy(&x, b, 4); return x; }
		case 64: { uint64_t x; memcpy(&x, b, 8); return x; }
		default: memcpy(&v, b, 16); return v;
		}
	}
	for (i = 0; i < nbits; i++) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		uint64_t pos = bit_off + i;

		v |= (xbtf_u128)((b[pos / 8] >> (pos % 8)) & 1) << i;
#else
		uint64_t pos = bit_off + i;

		v = (v << 1) | ((b[pos / 8] >> (7 - pos % 8)) & 1);
#endif
	}
	return v;
}

void xbtf_put_bits(void *p, uint64_t bit_off, uint32_t nbits, xbtf_u128 v)
{
	uint8_t *b = p;
	uint32_t i;

	for (i = 0; i < nbits; i++) {
		uint64_t pos = bit_off + i;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		unsigned int bit = (v >> i) & 1, sh = pos % 8;
#else
		unsigned int bit = (v >> (nbits - 1 - i)) & 1, sh = 7 - pos % 8;
#endif
		b[pos / 8] = (b[pos / 8] & ~(1U << sh)) | (bit << sh);
	}
}

bool xbtf_is_char(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!btf_is_int(t) || t->size != 1 || btf_int_bits(t) != 8 ||
	    (btf_int_encoding(t) & BTF_INT_BOOL))
		return false;
	if (btf_int_encoding(t) & BTF_INT_CHAR)
		return true;
	name = btf__str_by_offset(btf, t->name_off);
	return name && !strcmp(name, "char");
}

/* Ids and names a type refers to, checked for range. */
static int check_one(const struct btf *btf, uint32_t id, const struct btf_type *t,
		     struct xctl_err *err)
{
	uint32_t n = btf_vlen(t), i;

	if (!xbtf_str(btf, t->name_off, id, err))
		return -EINVAL;
	/* static, global or extern: libbpf takes any other value for global */
	if (btf_is_var(t) && btf_var(t)->linkage > BTF_VAR_GLOBAL_EXTERN)
		return xbtf_malformed(err, "variable [%u] has linkage %u", id,
				      btf_var(t)->linkage);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_FUNC_PROTO:
		if (!xbtf_type(btf, t->type, err))
			return -EINVAL;
		break;
	case BTF_KIND_ARRAY:
		if (!xbtf_type(btf, btf_array(t)->type, err) ||
		    !xbtf_type(btf, btf_array(t)->index_type, err))
			return -EINVAL;
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (!xbtf_str(btf, btf_members(t)[i].name_off, id, err) ||
			    !xbtf_type(btf, btf_members(t)[i].type, err))
				return -EINVAL;
			break;
		case BTF_KIND_ENUM:
			if (!xbtf_str(btf, btf_enum(t)[i].name_off, id, err))
				return -EINVAL;
			break;
		case BTF_KIND_ENUM64:
			if (!xbtf_str(btf, ((const uint32_t *)btf_enum64(t))[3 * i], id, err))
				return -EINVAL;
			break;
		case BTF_KIND_FUNC_PROTO:
			if (!xbtf_str(btf, btf_params(t)[i].name_off, id, err) ||
			    !xbtf_type(btf, btf_params(t)[i].type, err))
				return -EINVAL;
			break;
		case BTF_KIND_DATASEC:
			if (!xbtf_type(btf, btf_var_secinfos(t)[i].type, err))
				return -EINVAL;
			break;
		default:
			break;
		}
	}
	return 0;
}

int xbtf_check_refs(const struct btf *btf, struct xctl_err *err)
{
	uint32_t id, n = btf__type_cnt(btf);
	const struct btf_type *t;
	int r;

	for (id = 1; id < n; id++) {
		t = xbtf_type(btf, id, err);
		if (!t)
			return -EINVAL;
		r = check_one(btf, id, t, err);
		if (r)
			return r;
	}
	return 0;
}
