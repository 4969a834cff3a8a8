// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Addressing and writing one member of a BTF-described value
 * (xctl_btf_member_path, xctl_btf_set_member in lib/xctl_btf.h): the input
 * side of the walker, used for module parameters and control-map updates.
 * Every value is type-checked and range-checked against its BTF type before
 * a single bit of the buffer changes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "btf_priv.h"

/* Where a path ends: the member's declared and resolved type and its bits. */
struct loc {
	uint32_t type_id;		/* declared type */
	uint32_t rid;			/* resolved (typedefs, modifiers skipped) */
	const struct btf_type *rt;
	uint64_t bit_off;
	uint32_t nbits;			/* bitfield width, 0 if not a bitfield */
};

/* Short C-like name of a type for messages: "__u32", "struct foo", "int". */
static const char *tname(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = t ? btf__str_by_offset(btf, t->name_off) : NULL;
	const char *pfx = "";

	if (!t)
		return "?";
	if (btf_is_composite(t))
		pfx = btf_is_struct(t) ? "struct " : "union ";
	else if (btf_is_any_enum(t))
		pfx = "enum ";
	if (name && *name) {
		snprintf(buf, len, "%s%s", pfx, name);
	} else {
		/* "[6] anonymous struct" without the id users have no use for */
		char d[160];
		const char *sp = strstr(xbtf_desc(btf, id, d, sizeof(d)), "] ");

		snprintf(buf, len, "%s", sp ? sp + 2 : d);
	}
	return buf;
}

/* Append the member names of a composite (anonymous members flattened). */
static void list_members(const struct btf *btf, const struct btf_type *t,
			 char *buf, size_t len, int depth)
{
	uint16_t i;

	for (i = 0; i < btf_vlen(t) && depth < XBTF_MAX_DEPTH; i++) {
		const char *name;
		const struct btf_type *mt;
		uint32_t type;

		if (btf_is_datasec(t)) {
			mt = btf__type_by_id(btf, btf_var_secinfos(t)[i].type);
			name = mt ? btf__str_by_offset(btf, mt->name_off) : NULL;
			type = 0;
		} else {
			name = btf__str_by_offset(btf, btf_members(t)[i].name_off);
			type = btf_members(t)[i].type;
		}
		if (name && !*name && type && xbtf_skip(btf, type, &mt, NULL) >= 0 &&
		    btf_is_composite(mt)) {
			list_members(btf, mt, buf, len, depth + 1);
			continue;
		}
		if (!name || !*name || strlen(buf) + strlen(name) + 8 >= len)
			continue;
		if (*buf)
			strcat(buf, ", ");
		strcat(buf, name);
	}
}

/*
 * Find member `name` in composite (or section) `t`, looking through
 * anonymous members. 1: found (l filled, offsets relative to t), 0: not
 * found, < 0: malformed BTF.
 */
static int find_member(const struct btf *btf, uint32_t id, const struct btf_type *t,
		       const char *name, size_t nlen, struct loc *l, int depth,
		       struct xctl_err *err)
{
	char d[160];
	uint16_t i;
	int r;

	if (depth >= XBTF_MAX_DEPTH)
		return xbtf_malformed(err, "%s is nested deeper than %d levels",
				      xbtf_desc(btf, id, d, sizeof(d)), XBTF_MAX_DEPTH);
	for (i = 0; i < btf_vlen(t); i++) {
		const char *mname;

		if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *vi = btf_var_secinfos(t) + i;
			const struct btf_type *vt = xbtf_type(btf, vi->type, err);
			uint64_t vsz;

			if (!vt || !btf_is_var(vt))
				return xbtf_malformed(err, "%s lists a non-variable",
						      xbtf_desc(btf, id, d, sizeof(d)));
			mname = xbtf_str(btf, vt->name_off, vi->type, err);
			if (!mname)
				return -EINVAL;
			if (strlen(mname) != nlen || strncmp(mname, name, nlen))
				continue;
			r = xbtf_size(btf, vt->type, &vsz, err);
			if (r)
				return r;
			if ((uint64_t)vi->offset + vsz > t->size || vsz > vi->size)
				return xbtf_malformed(err,
						      "variable '%s' of %s does not fit",
						      mname, xbtf_desc(btf, id, d, sizeof(d)));
			l->type_id = vt->type;
			l->bit_off = (uint64_t)vi->offset * 8;
			l->nbits = 0;
			r = xbtf_skip(btf, vt->type, &l->rt, err);
			if (r < 0)
				return r;
			l->rid = r;
			return 1;
		}
		r = xbtf_member_loc(btf, id, t, i, &l->bit_off, &l->nbits, &l->rid,
				    &l->rt, err);
		if (r)
			return r;
		l->type_id = btf_members(t)[i].type;
		mname = btf__str_by_offset(btf, btf_members(t)[i].name_off);
		if (!*mname && !l->nbits && btf_is_composite(l->rt)) {
			uint64_t base = l->bit_off;

			r = find_member(btf, l->rid, l->rt, name, nlen, l, depth + 1, err);
			if (r > 0)
				l->bit_off += base;
			if (r)
				return r;
			continue;
		}
		if (*mname && strlen(mname) == nlen && !strncmp(mname, name, nlen))
			return 1;
	}
	return 0;
}

/* "bad member path": the caller adds why. */
static int bad_path(struct xctl_err *err, int errnum, const char *path)
{
	return xctl_errf(err, errnum, "bad member path '%s'", path);
}

/* "[N]" at *pp: step into element N of the array at l. */
static int step_index(const struct btf *btf, const char *path, const char **pp,
		      struct loc *l, struct xctl_err *err)
{
	const char *p = *pp;
	const struct btf_array *a;
	unsigned long idx;
	char d[160], *end;
	uint64_t esz;
	int r;

	r = bad_path(err, EINVAL, path);
	if (!btf_is_array(l->rt) && p == path) {
		xctl_err_why(err, "%s is not an array", tname(btf, l->type_id, d, sizeof(d)));
		return r;
	}
	if (!btf_is_array(l->rt)) {
		xctl_err_why(err, "'%.*s' is %s, not an array", (int)(p - path), path,
			     tname(btf, l->type_id, d, sizeof(d)));
		return r;
	}
	a = btf_array(l->rt);
	errno = 0;
	idx = isdigit((unsigned char)p[1]) ? strtoul(p + 1, &end, 10) : 0;
	if (!isdigit((unsigned char)p[1]) || errno || *end != ']') {
		xctl_err_why(err, "an array index is a decimal number in brackets");
		return r;
	}
	if (idx >= a->nelems) {
		r = bad_path(err, ERANGE, path);
		xctl_err_why(err, "index %lu is out of range: the array has %u elements",
			     idx, a->nelems);
		return r;
	}
	r = xbtf_size(btf, a->type, &esz, err);
	if (r)
		return r;
	l->type_id = a->type;
	l->bit_off += idx * esz * 8;
	l->nbits = 0;
	r = xbtf_skip(btf, a->type, &l->rt, err);
	if (r < 0)
		return r;
	l->rid = r;
	p = end + 1;
	if (*p == '.' && p[1] && p[1] != '.' && p[1] != '[')
		p++;
	else if (*p && *p != '[')
		return bad_path(err, EINVAL, path);
	*pp = p;
	return 0;
}

/* A member name at *pp: step into that member of the struct/union/section at l. */
static int step_member(const struct btf *btf, const char *path, const char **pp,
		       struct loc *l, struct xctl_err *err)
{
	const char *p = *pp, *start = p;
	uint64_t base = l->bit_off;
	char d[160], list[400];
	struct loc m;
	int r;

	if (l->nbits) {
		r = bad_path(err, EINVAL, path);
		xctl_err_why(err, "'%.*s' is a bitfield, not a struct", (int)(p - path - 1), path);
		return r;
	}
	if (!btf_is_composite(l->rt) && !btf_is_datasec(l->rt)) {
		r = bad_path(err, EINVAL, path);
		if (p == path)
			xctl_err_why(err, "%s has no members", tname(btf, l->type_id, d, sizeof(d)));
		else
			xctl_err_why(err, "'%.*s' is %s, which has no members", (int)(p - path - 1),
				     path, tname(btf, l->type_id, d, sizeof(d)));
		return r;
	}
	while (*p && *p != '.' && *p != '[')
		p++;
	if (p == start || (*p == '.' && !p[1]))
		return bad_path(err, EINVAL, path);
	r = find_member(btf, l->rid, l->rt, start, p - start, &m, 0, err);
	if (r < 0)
		return r;
	if (!r) {
		xctl_errf(err, ENOENT, "unknown member '%.*s'", (int)(p - start), start);
		xctl_err_why(err, "%s has no member of that name", tname(btf, l->rid, d, sizeof(d)));
		list[0] = '\0';
		list_members(btf, l->rt, list, sizeof(list), 0);
		if (*list)
			xctl_err_hint(err, "members: %s", list);
		return -ENOENT;
	}
	*l = m;
	l->bit_off += base;
	*pp = *p == '.' ? p + 1 : p;
	return 0;
}

static int locate(const struct btf *btf, uint32_t type_id, const char *path,
		  struct loc *l, struct xctl_err *err)
{
	const char *p;
	int r;

	if (!path)
		path = "";
	/* The whole type must be sound, not only the members on the path. */
	r = xctl_btf_check_type(btf, type_id, err);
	if (r)
		return r;
	memset(l, 0, sizeof(*l));
	l->type_id = type_id;
	r = xbtf_skip(btf, type_id, &l->rt, err);
	if (r < 0)
		return r;
	l->rid = r;
	r = 0;
	for (p = path; *p && !r; )
		r = *p == '[' ? step_index(btf, path, &p, l, err)
			      : step_member(btf, path, &p, l, err);
	return r;
}

int xctl_btf_member_path(const struct btf *btf, uint32_t type_id,
			 const char *path, uint32_t *member_type_id,
			 size_t *bit_offset, uint32_t *bitfield_size,
			 struct xctl_err *err)
{
	struct loc l;
	int r;

	if (!btf)
		return xctl_errf(err, EINVAL, "no BTF to look up '%s' in", path ? path : "");
	r = locate(btf, type_id, path, &l, err);
	if (r)
		return xctl_ret(r);
	if (member_type_id)
		*member_type_id = l.type_id;
	if (bit_offset)
		*bit_offset = l.bit_off;
	if (bitfield_size)
		*bitfield_size = l.nbits;
	return 0;
}

/* Decimal or 0x hex magnitude with an optional leading '-'. */
static int parse_int(const char *s, bool *neg, xbtf_u128 *mag)
{
	xbtf_u128 v = 0, nv;
	unsigned int base = 10, dig;

	*neg = *s == '-';
	if (*neg)
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			dig = *s - '0';
		else if (base == 16 && isxdigit((unsigned char)*s))
			dig = tolower((unsigned char)*s) - 'a' + 10;
		else
			return -EINVAL;
		nv = v * base + dig;
		if ((nv - dig) / base != v)
			return -ERANGE;
		v = nv;
	}
	*mag = v;
	return 0;
}

static void u128_str(xbtf_u128 v, bool neg, char *buf, size_t len)
{
	char tmp[48];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + (int)(v % 10);
		v /= 10;
	} while (v);
	if (neg)
		tmp[--i] = '-';
	snprintf(buf, len, "%s", tmp + i);
}

/* Parse text as an integer of nbits; the bits to store go to *out. */
static int parse_ranged(const char *text, uint32_t nbits, bool is_signed,
			const char *path, const char *type, xbtf_u128 *out,
			struct xctl_err *err)
{
	xbtf_u128 mag = 0, max;
	char lo[48], hi[48];
	bool neg;
	int r;

	r = parse_int(text, &neg, &mag);
	if (r == -EINVAL || (neg && !is_signed && mag)) {
		r = xctl_errf(err, EINVAL, "invalid value '%s' for '%s' (%s)", text, path, type);
		xctl_err_why(err, "expected %s integer, decimal or 0x hex",
			     is_signed ? "an" : "an unsigned");
		return r;
	}
	max = nbits >= 128 ? ~(xbtf_u128)0 : ((xbtf_u128)1 << nbits) - 1;
	if (is_signed)
		max >>= 1;
	if (r || mag > max + (neg ? 1 : 0)) {
		u128_str(is_signed ? max + 1 : 0, is_signed, lo, sizeof(lo));
		u128_str(max, false, hi, sizeof(hi));
		r = xctl_errf(err, ERANGE, "value '%s' is out of range for '%s' (%s)",
			      text, path, type);
		xctl_err_why(err, "%u bits hold %s..%s", nbits, lo, hi);
		return r;
	}
	*out = neg ? -mag : mag;
	return 0;
}

static int parse_bool(const char *text, xbtf_u128 *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	int i;

	for (i = 0; yes[i]; i++) {
		if (!strcasecmp(text, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(text, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_enum(const struct btf *btf, const struct loc *l, const char *text,
		      const char *path, const char *type, xbtf_u128 *out,
		      struct xctl_err *err)
{
	const struct btf_type *t = l->rt;
	uint32_t nbits = l->nbits ? l->nbits : t->size * 8;
	char list[400] = "";
	uint16_t i;
	int r;

	for (i = 0; i < btf_vlen(t); i++) {
		uint32_t name_off;
		const char *name;
		uint64_t v;

		if (btf_is_enum(t)) {
			name_off = btf_enum(t)[i].name_off;
			v = btf_kflag(t) ? (uint64_t)(int64_t)(int32_t)btf_enum(t)[i].val
					 : (uint32_t)btf_enum(t)[i].val;
		} else {
			name_off = ((const uint32_t *)btf_enum64(t))[3 * i];
			v = btf_enum64_value(btf_enum64(t) + i);
		}
		name = xbtf_str(btf, name_off, l->rid, err);
		if (!name)
			return -EINVAL;
		if (!strcmp(name, text)) {
			*out = (xbtf_u128)v;
			if (btf_kflag(t) && (int64_t)v < 0)
				*out |= ~(xbtf_u128)0 << 64;
			return 0;
		}
		if (strlen(list) + strlen(name) + 8 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 *list ? ", " : "", name);
	}
	if (isdigit((unsigned char)*text) || *text == '-') {
		r = parse_ranged(text, nbits, btf_kflag(t), path, type, out, err);
		if (r != -EINVAL)
			return r;
	}
	xctl_errf(err, EINVAL, "invalid value '%s' for '%s' (%s)", text, path, type);
	xctl_err_why(err, "neither an enumerator nor a number");
	if (*list)
		xctl_err_hint(err, "expected one of: %s (or a number)", list);
	return -EINVAL;
}

static int set_chars(const struct btf *btf, const struct loc *l, uint8_t *data,
		     const char *text, const char *path, struct xctl_err *err)
{
	uint32_t n = btf_array(l->rt)->nelems;
	size_t len = strlen(text);

	(void)btf;
	if (len >= n) {
		int r = xctl_errf(err, ERANGE, "value for '%s' is too long", path);

		xctl_err_why(err, "%zu characters, at most %u fit with the terminating NUL",
			     len, n ? n - 1 : 0);
		return r;
	}
	memset(data + l->bit_off / 8, 0, n);
	memcpy(data + l->bit_off / 8, text, len);
	return 0;
}

int xctl_btf_set_member(const struct btf *btf, uint32_t type_id, void *data,
			size_t size, const char *path, const char *value_text,
			struct xctl_err *err)
{
	const struct btf_type *et;
	char type[160], d[160];
	uint64_t tsize;
	uint32_t nbits;
	xbtf_u128 v = 0;
	struct loc l;
	int r;

	if (!btf || !data || !value_text)
		return xctl_errf(err, EINVAL, "nothing to set for '%s'", path ? path : "");
	r = xbtf_size(btf, type_id, &tsize, err);
	if (r)
		return xctl_ret(r);
	if (size < tsize) {
		r = xctl_errf(err, EINVAL, "value of %zu bytes is too small for %s", size,
			      xbtf_desc(btf, type_id, d, sizeof(d)));
		xctl_err_why(err, "the type needs %llu bytes", (unsigned long long)tsize);
		return xctl_ret(r);
	}
	r = locate(btf, type_id, path, &l, err);
	if (r)
		return xctl_ret(r);
	if (!path)
		path = "";
	tname(btf, l.type_id, type, sizeof(type));
	nbits = l.nbits;
	switch (btf_kind(l.rt)) {
	case BTF_KIND_INT:
		if (!nbits) {	/* as the walker reads a whole INT */
			nbits = btf_int_bits(l.rt);
			l.bit_off += btf_int_offset(l.rt);
		}
		if (btf_int_encoding(l.rt) & BTF_INT_BOOL) {
			if (parse_bool(value_text, &v)) {
				r = xctl_errf(err, EINVAL, "invalid value '%s' for '%s' (%s)",
					      value_text, path, type);
				xctl_err_why(err, "expected true or false");
				return xctl_ret(r);
			}
			break;
		}
		r = parse_ranged(value_text, nbits, btf_int_encoding(l.rt) & BTF_INT_SIGNED,
				 path, type, &v, err);
		if (r)
			return xctl_ret(r);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!nbits)
			nbits = l.rt->size * 8;
		r = parse_enum(btf, &l, value_text, path, type, &v, err);
		if (r)
			return xctl_ret(r);
		break;
	case BTF_KIND_FLOAT: {
		char *end;
		double dv;

		if (l.rt->size != 4 && l.rt->size != 8)
			return xctl_errf(err, EINVAL, "cannot set '%s': %u-byte floats are not supported",
					 path, l.rt->size);
		errno = 0;
		dv = strtod(value_text, &end);
		if (!*value_text || *end || errno) {
			r = xctl_errf(err, errno ? errno : EINVAL,
				      "invalid value '%s' for '%s' (%s)", value_text, path, type);
			if (!errno)
				xctl_err_why(err, "expected a number");
			return xctl_ret(r);
		}
		if (l.rt->size == 4) {
			float f = dv;

			memcpy((uint8_t *)data + l.bit_off / 8, &f, 4);
		} else {
			memcpy((uint8_t *)data + l.bit_off / 8, &dv, 8);
		}
		return 0;
	}
	case BTF_KIND_ARRAY:
		r = xbtf_skip(btf, btf_array(l.rt)->type, &et, err);
		if (r < 0)
			return xctl_ret(r);
		if (xbtf_is_char(btf, et))
			return xctl_ret(set_chars(btf, &l, data, value_text, path, err));
		/* fallthrough */
	default:
		xctl_errf(err, EINVAL, "cannot set '%s' from text", path);
		xctl_err_why(err, "it is %s", tname(btf, l.type_id, d, sizeof(d)));
		if (btf_is_composite(l.rt))
			xctl_err_hint(err, "set its members one by one (%s%s<member>)",
				      path, *path ? "." : "");
		else if (btf_is_array(l.rt))
			xctl_err_hint(err, "set its elements one by one (%s[0])", path);
		return xctl_ret(-EINVAL);
	}
	xbtf_put_bits(data, l.bit_off, nbits, v);
	return 0;
}

int xctl_btf_member_to_json(const struct btf *btf, uint32_t type_id,
			    const void *data, size_t size, const char *path,
			    const struct xctl_btf_dump_opts *opts, json_t **out,
			    struct xctl_err *err)
{
	uint32_t mid, nbits;
	size_t off;
	int r;

	*out = NULL;
	r = XCTL_OPTS_CHECK(opts, xctl_btf_dump_opts, err);
	if (r)
		return xctl_ret(r);
	if (!data)
		return xctl_errf(err, EINVAL, "no value to render");
	if (!path || !*path)
		return xctl_ret(xctl_btf_to_json(btf, type_id, data, size, opts, out, err));
	r = xctl_btf_member_path(btf, type_id, path, &mid, &off, &nbits, err) ?:
	    xbtf_walk_member(btf, type_id, data, size, mid, off, nbits, opts, out, err);
	return xctl_ret(r);
}

json_t *xctl_btf_choices(const struct btf *btf, uint32_t type_id)
{
	const struct btf_type *t;
	json_t *a;
	uint16_t i;
	int id;

	id = xbtf_skip(btf, type_id, &t, NULL);
	if (id < 0)
		return NULL;
	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL))
		return json_pack("[s, s]", "true", "false");
	if (!btf_is_any_enum(t))
		return NULL;
	a = json_array();
	for (i = 0; a && i < btf_vlen(t); i++) {
		uint32_t off = btf_is_enum(t) ? btf_enum(t)[i].name_off
					      : ((const uint32_t *)btf_enum64(t))[3 * i];
		const char *name = btf__str_by_offset(btf, off);

		if (name && *name)
			json_array_append_new(a, json_string(name));
	}
	return a;
}

/* Append the assignable leaves below type id (a struct or union) to arr. */
static int add_paths(const struct btf *btf, uint32_t id, const char *prefix,
		     int depth, json_t *arr, struct xctl_err *err)
{
	const struct btf_type *t, *mt, *et;
	const struct btf_member *m;
	char path[256];
	uint16_t i;
	int rid, mid, r;

	if (depth > 8)
		return xbtf_malformed(err, "members nested deeper than 8 levels");
	rid = xbtf_skip(btf, id, &t, err);
	if (rid < 0)
		return rid;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__str_by_offset(btf, m->name_off);
		json_t *e, *choices;

		if (!name || !*name)
			continue;	/* anonymous members are not addressable by name */
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name);
		mid = xbtf_skip(btf, m->type, &mt, err);
		if (mid < 0)
			return mid;
		if (btf_is_composite(mt)) {
			r = add_paths(btf, mid, path, depth + 1, arr, err);
			if (r)
				return r;
			continue;
		}
		if (!btf_is_int(mt) && !btf_is_any_enum(mt) && !btf_is_float(mt) &&
		    !(btf_is_array(mt) && xbtf_skip(btf, btf_array(mt)->type, &et, NULL) >= 0 &&
		      btf_is_int(et) && et->size == 1))
			continue;	/* pointers and other arrays cannot be set */
		e = json_pack("{s:s}", "path", path);
		choices = xctl_btf_choices(btf, m->type);
		if (e && choices)
			json_object_set_new(e, "choices", choices);
		if (!e || json_array_append_new(arr, e))
			return xctl_errf(err, ENOMEM, "cannot list members");
	}
	return 0;
}

int xctl_btf_member_paths(const struct btf *btf, uint32_t type_id, json_t **out,
			  struct xctl_err *err)
{
	const struct btf_type *t;
	int id, r;

	*out = NULL;
	id = xbtf_skip(btf, type_id, &t, err);
	if (id < 0)
		return id;
	if (!btf_is_composite(t))
		return xctl_errf(err, EINVAL, "BTF type %u is not a struct or union", type_id);
	*out = json_array();
	r = *out ? add_paths(btf, id, "", 0, *out, err)
		 : xctl_errf(err, ENOMEM, "cannot list members");
	if (r) {
		json_decref(*out);
		*out = NULL;
	}
	return r;
}
