// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one generic BTF value walker (see lib/xctl_btf.h for the JSON mapping).
 *
 * One recursive walk serves both rendering and checking: with data == NULL it
 * visits the same types and applies the same checks without reading a value,
 * which is xctl_btf_check_type(). So "check passed" means "render cannot fail
 * on BTF grounds". Pointers are not followed (their value is an address or a
 * program id), except to see whether they point to a function prototype.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "btf_priv.h"
#include "prog.h"

struct walk {
	const struct btf *btf;
	unsigned int flags;
	int (*prog_name)(uint32_t id, char *buf, size_t len, void *ctx);
	void *ctx;
	struct xctl_err *err;
	int depth;
	uint32_t stack[XBTF_MAX_DEPTH];	/* containers being walked, outermost first */
	uint64_t nodes;			/* JSON values made so far (XBTF_MAX_NODES) */
};

/*
 * Values rendered per call: nested arrays of empty structs multiply their
 * (individually bounded) element counts, so a few bytes of BTF could make a
 * walk of 2^20 * 2^20 values (found by make fuzz, meta harness).
 */
#define XBTF_MAX_NODES	(1U << 20)

static int walk(struct walk *w, uint32_t id, const uint8_t *data,
		uint64_t avail, json_t **out);

static const char *desc(struct walk *w, uint32_t id, char *buf, size_t len)
{
	return xbtf_desc(w->btf, id, buf, len);
}

static int no_mem(struct walk *w)
{
	return xctl_errf(w->err, ENOMEM, "cannot build the JSON form of a BTF value");
}

/* Integer of nbits (after sign extension when is_signed) as JSON. */
static json_t *int_json(xbtf_u128 raw, uint32_t nbits, bool is_signed)
{
	char buf[48];
	uint64_t lo;

	if (nbits < 128 && is_signed && ((raw >> (nbits - 1)) & 1))
		raw |= ~(xbtf_u128)0 << nbits;
	if (nbits > 64) {
		/* Wider than JSON integers: the bits as a hex string. */
		if (nbits < 128)
			raw &= ((xbtf_u128)1 << nbits) - 1;
		if (raw >> 64)
			snprintf(buf, sizeof(buf), "0x%llx%016llx",
				 (unsigned long long)(uint64_t)(raw >> 64),
				 (unsigned long long)(uint64_t)raw);
		else
			snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)(uint64_t)raw);
		return json_string(buf);
	}
	lo = (uint64_t)raw;
	if (is_signed || lo <= INT64_MAX)
		return json_integer((json_int_t)lo);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)lo);
	return json_string(buf);
}

static double half_to_double(uint16_t h)
{
	int e = (h >> 10) & 0x1f, m = h & 0x3ff;
	double v;

	if (e == 0x1f)
		v = m ? NAN : INFINITY;
	else if (e)
		v = ldexp(1024 + m, e - 25);
	else
		v = ldexp(m, -24);
	return (h & 0x8000) ? -v : v;
}

#if defined(__x86_64__) || defined(__i386__)
/*
 * x87 extended precision (long double) decoded by hand when the value is a
 * finite double, so that rendering does not depend on x87 arithmetic
 * (valgrind, for one, emulates it with 64-bit precision). Returns false for
 * values left to the long double path (NaN, infinities, outside double's
 * range).
 */
static bool x87_to_double(const uint8_t *p, double *out)
{
	uint64_t mant;
	uint16_t se;
	int exp;

	memcpy(&mant, p, 8);
	memcpy(&se, p + 8, 2);
	exp = se & 0x7fff;
	if (exp == 0x7fff || (mant && (exp - 16383 > 1023 || exp - 16383 < -1074)))
		return false;
	*out = mant ? ldexp((double)mant, exp - 16383 - 63) : 0.0;
	if (se & 0x8000)
		*out = -*out;
	return isfinite(*out);
}
#endif

/* JSON has no NaN or infinities: those become strings. */
static json_t *double_json(double v)
{
	if (isnan(v))
		return json_string("nan");
	if (isinf(v))
		return json_string(v < 0 ? "-inf" : "inf");
	return json_real(v);
}

static json_t *float_json(const uint8_t *p, uint32_t size)
{
	long double v;
	char buf[48];
	double dv;

	switch (size) {
	case 2: { uint16_t h; memcpy(&h, p, 2); return double_json(half_to_double(h)); }
	case 4: { float f; memcpy(&f, p, 4); return double_json(f); }
	case 8: memcpy(&dv, p, 8); return double_json(dv);
	default:
		break;
	}
	if (size != sizeof(long double))
		return json_string("?");
#if defined(__x86_64__) || defined(__i386__)
	if (x87_to_double(p, &dv))
		return json_real(dv);
#endif
	memcpy(&v, p, sizeof(v));
	if (isnan(v) || isinf(v))
		return json_string(isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
	dv = (double)v;
	if (!isfinite(dv)) {	/* beyond double's range */
		snprintf(buf, sizeof(buf), "%Lg", v);
		return json_string(buf);
	}
	return json_real(dv);
}

/* Enumerator name for a value, or the number when none matches. */
static int enum_json(struct walk *w, uint32_t id, const struct btf_type *t,
		     xbtf_u128 raw, uint32_t nbits, json_t **out)
{
	bool is_signed = btf_kflag(t);
	uint16_t i, n = btf_vlen(t);
	const char *name;
	int64_t v, ev;

	if (nbits < 64 && is_signed && ((raw >> (nbits - 1)) & 1))
		raw |= ~(xbtf_u128)0 << nbits;
	v = (int64_t)(uint64_t)raw;
	for (i = 0; i < n; i++) {
		uint32_t name_off;

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			ev = is_signed ? (int64_t)(int32_t)e->val : (int64_t)(uint32_t)e->val;
			name_off = e->name_off;
		} else {
			ev = (int64_t)btf_enum64_value(btf_enum64(t) + i);
			name_off = ((const uint32_t *)btf_enum64(t))[3 * i];
		}
		if (ev != v)
			continue;
		name = xbtf_str(w->btf, name_off, id, w->err);
		if (!name)
			return -EINVAL;
		*out = json_string(name);
		return *out ? 0 : no_mem(w);
	}
	*out = int_json(raw, 64, is_signed);
	return *out ? 0 : no_mem(w);
}

/* An int or enum of nbits at bit_off (a bitfield or a whole scalar). */
static int scalar_bits(struct walk *w, uint32_t id, const struct btf_type *t,
		       const uint8_t *data, uint64_t bit_off, uint32_t nbits,
		       json_t **out)
{
	xbtf_u128 raw;
	uint8_t enc;

	if (!data)
		return 0;
	raw = xbtf_get_bits(data, bit_off, nbits);
	if (btf_is_any_enum(t))
		return enum_json(w, id, t, raw, nbits, out);
	enc = btf_int_encoding(t);
	if ((enc & BTF_INT_BOOL) && raw <= 1)
		*out = json_boolean(raw);
	else
		*out = int_json(raw, nbits, enc & BTF_INT_SIGNED);
	return *out ? 0 : no_mem(w);
}

/* A program's full name, as everywhere a program is shown (lib/core/prog.c). */
static int default_prog_name(uint32_t id, char *buf, size_t len, void *ctx)
{
	struct xctl_prog p;
	int r;

	(void)ctx;
	r = xctl_prog_read(id, &p);
	if (r)
		return r;
	snprintf(buf, len, "%s", p.name);
	return 0;
}

static int ptr_json(struct walk *w, const struct btf_type *t, const uint8_t *data,
		    uint64_t size, json_t **out)
{
	const struct btf_type *target;
	char name[256] = "";
	uint64_t v;
	int r;

	r = xbtf_skip(w->btf, t->type, &target, w->err);
	if (r < 0)
		return r;
	if (!data)
		return 0;
	v = (uint64_t)xbtf_get_bits(data, 0, size * 8);
	/* A NULL pointer points at nothing: null, not a made-up 0. */
	if (!v) {
		*out = json_null();
		return 0;
	}
	if (!(w->flags & XCTL_BTF_FPTR_PROG) || !btf_is_func_proto(target) ||
	    v > UINT32_MAX) {
		*out = int_json(v, 64, false);
		return *out ? 0 : no_mem(w);
	}
	r = w->prog_name((uint32_t)v, name, sizeof(name), w->ctx);
	name[sizeof(name) - 1] = '\0';
	*out = json_pack("{s:I, s:o}", "prog_id", (json_int_t)v, "prog_name",
			 r ? json_null() : json_string(name));
	return *out ? 0 : no_mem(w);
}

/* No control characters; bytes >= 0x80 are left to jansson's UTF-8 check. */
static bool printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
	return true;
}

static int array_json(struct walk *w, uint32_t id, const struct btf_type *t,
		      const uint8_t *data, json_t **out)
{
	const struct btf_array *a = btf_array(t);
	const struct btf_type *et;
	uint64_t esz;
	uint32_t i;
	json_t *arr, *e;
	char d[160];
	int r;

	if (a->nelems > XBTF_MAX_ELEMS)
		return xbtf_malformed(w->err,
				      "%s has %u elements (at most %u are supported)",
				      desc(w, id, d, sizeof(d)), a->nelems, XBTF_MAX_ELEMS);
	r = xbtf_size(w->btf, a->type, &esz, w->err);
	if (r)
		return r;
	r = xbtf_skip(w->btf, a->type, &et, w->err);
	if (r < 0)
		return r;
	if (!data)	/* checking: one element stands for all */
		return walk(w, a->type, NULL, esz, out);

	if (xbtf_is_char(w->btf, et)) {
		const uint8_t *nul = memchr(data, 0, a->nelems);
		size_t len = nul ? (size_t)(nul - data) : a->nelems;

		/* json_stringn() refuses invalid UTF-8: then it is bytes. */
		if (printable(data, len)) {
			*out = json_stringn((const char *)data, len);
			if (*out)
				return 0;
		}
	}
	arr = json_array();
	if (!arr)
		return no_mem(w);
	for (i = 0; i < a->nelems; i++) {
		e = NULL;
		r = walk(w, a->type, data + i * esz, esz, &e);
		if (r) {
			json_decref(arr);
			return r;
		}
		if (json_array_append_new(arr, e)) {
			json_decref(arr);
			return no_mem(w);
		}
	}
	*out = arr;
	return 0;
}

/* Add a member's value to obj: named, or merged when anonymous. */
static int add_member(struct walk *w, json_t *obj, const char *name, json_t *v)
{
	int r = 0;

	if (!v)
		return 0;
	if (*name)
		r = json_object_set_new(obj, name, v);
	else if (json_is_object(v))
		r = json_object_update(obj, v), json_decref(v);
	else
		json_decref(v);	/* unnamed padding bitfield */
	return r ? no_mem(w) : 0;
}

static int composite_json(struct walk *w, uint32_t id, const struct btf_type *t,
			  const uint8_t *data, json_t **out)
{
	uint16_t i, n = btf_vlen(t);
	json_t *obj = NULL, *v;
	char d[160];
	int r;

	for (i = 0; i < w->depth; i++)
		if (w->stack[i] == id)
			return xbtf_malformed(w->err,
					      "%s contains itself",
					      desc(w, id, d, sizeof(d)));
	if (data) {
		obj = json_object();
		if (!obj)
			return no_mem(w);
	}
	w->stack[w->depth++] = id;
	for (i = 0; i < n; i++) {
		const struct btf_member *m = btf_members(t) + i;
		const struct btf_type *mt;
		uint64_t bit_off, msz;
		uint32_t nbits, mid;
		const char *name;

		r = xbtf_member_loc(w->btf, id, t, i, &bit_off, &nbits, &mid, &mt, w->err);
		if (r)
			goto fail;
		name = btf__str_by_offset(w->btf, m->name_off);
		v = NULL;
		if (nbits) {
			if (!*name)	/* padding: int :3; */
				continue;
			r = scalar_bits(w, mid, mt, data, bit_off, nbits, &v);
		} else {
			r = xbtf_size(w->btf, m->type, &msz, w->err);
			if (!r)
				r = walk(w, m->type, data ? data + bit_off / 8 : NULL, msz, &v);
		}
		if (!r && data)
			r = add_member(w, obj, name, v);
		if (r)
			goto fail;
	}
	w->depth--;
	*out = obj;
	return 0;
fail:
	w->depth--;
	json_decref(obj);
	return r;
}

static int datasec_json(struct walk *w, uint32_t id, const struct btf_type *t,
			const uint8_t *data, json_t **out)
{
	const struct btf_var_secinfo *vi = btf_var_secinfos(t);
	uint16_t i, n = btf_vlen(t);
	json_t *obj = NULL, *v;
	char d[160], d2[160];
	int r;

	if (data) {
		obj = json_object();
		if (!obj)
			return no_mem(w);
	}
	w->stack[w->depth++] = id;
	for (i = 0; i < n; i++) {
		const struct btf_type *vt = xbtf_type(w->btf, vi[i].type, w->err);
		const char *name;
		uint64_t vsz;

		r = -EINVAL;
		if (!vt)
			goto fail;
		if (!btf_is_var(vt)) {
			xbtf_malformed(w->err, "%s lists %s, not a variable",
				       desc(w, id, d, sizeof(d)),
				       xbtf_desc(w->btf, vi[i].type, d2, sizeof(d2)));
			goto fail;
		}
		name = xbtf_str(w->btf, vt->name_off, vi[i].type, w->err);
		if (!name)
			goto fail;
		r = xbtf_size(w->btf, vt->type, &vsz, w->err);
		if (r)
			goto fail;
		if ((uint64_t)vi[i].offset + vi[i].size > t->size || vsz > vi[i].size) {
			r = xbtf_malformed(w->err,
					   "variable '%s' of %s (offset %u, size %u) does not fit",
					   name, desc(w, id, d, sizeof(d)), vi[i].offset, vi[i].size);
			goto fail;
		}
		v = NULL;
		r = walk(w, vt->type, data ? data + vi[i].offset : NULL, vsz, &v);
		if (!r && data && json_object_set_new(obj, name, v))
			r = no_mem(w);
		if (r)
			goto fail;
	}
	w->depth--;
	*out = obj;
	return 0;
fail:
	w->depth--;
	json_decref(obj);
	return r;
}

/*
 * Walk the value of type id at data (NULL: check only). avail is how many
 * bytes the value may use; a type larger than that is an error.
 */
static int walk(struct walk *w, uint32_t id, const uint8_t *data,
		uint64_t avail, json_t **out)
{
	const struct btf_type *t;
	uint64_t size;
	char d[160];
	int rid, r;

	rid = xbtf_skip(w->btf, id, &t, w->err);
	if (rid < 0)
		return rid;
	if (++w->nodes > XBTF_MAX_NODES)
		return xbtf_malformed(w->err, "%s renders to more than %u values",
				      desc(w, w->depth ? w->stack[0] : (uint32_t)rid, d, sizeof(d)),
				      XBTF_MAX_NODES);
	if (w->depth >= XBTF_MAX_DEPTH)
		return xbtf_malformed(w->err,
				      "%s is nested deeper than %d levels",
				      desc(w, rid, d, sizeof(d)), XBTF_MAX_DEPTH);
	r = xbtf_size(w->btf, rid, &size, w->err);
	if (r)
		return r;
	if (size > avail)
		return xbtf_malformed(w->err,
				      "%s (%llu bytes) does not fit in the %llu bytes it is given",
				      desc(w, rid, d, sizeof(d)), (unsigned long long)size,
				      (unsigned long long)avail);

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		/* An INT may itself say which of its bits hold the value. */
		return scalar_bits(w, rid, t, data, btf_int_offset(t), btf_int_bits(t), out);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return scalar_bits(w, rid, t, data, 0, size * 8, out);
	case BTF_KIND_FLOAT:
		if (!data)
			return 0;
		*out = float_json(data, t->size);
		return *out ? 0 : no_mem(w);
	case BTF_KIND_PTR:
		return ptr_json(w, t, data, size, out);
	case BTF_KIND_ARRAY:
		w->stack[w->depth++] = rid;
		r = array_json(w, rid, t, data, out);
		w->depth--;
		return r;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return composite_json(w, rid, t, data, out);
	case BTF_KIND_DATASEC:
		return datasec_json(w, rid, t, data, out);
	default:
		/* xbtf_size() already refused kinds without a value. */
		return xctl_errf(w->err, EINVAL, "type %s has no value",
				 desc(w, rid, d, sizeof(d)));
	}
}

/* Where a member lies (from xctl_btf_member_path), or NULL: the whole value. */
struct at {
	uint32_t mid;
	size_t off;
	uint32_t nbits;
};

static int walk_top(const struct btf *btf, uint32_t type_id, const void *data,
		    size_t size, const struct at *at,
		    const struct xctl_btf_dump_opts *opts, json_t **out,
		    struct xctl_err *err)
{
	struct walk w = {
		.btf = btf,
		.flags = XCTL_OPT(opts, flags, 0),
		.prog_name = XCTL_OPT(opts, prog_name, NULL),
		.ctx = XCTL_OPT(opts, ctx, NULL),
		.err = err,
	};
	json_t *none = NULL;	/* checking: nothing is built */
	const struct btf_type *t;
	uint64_t tsize;
	char d[160];
	int r;

	r = XCTL_OPTS_CHECK(opts, xctl_btf_dump_opts, err);
	if (r)
		return r;
	if (!btf)
		return xctl_errf(err, EINVAL, "no BTF to describe the value");
	if (!w.prog_name)
		w.prog_name = default_prog_name;
	r = xbtf_size(btf, type_id, &tsize, err);
	if (r)
		return r;
	if (data && size < tsize) {
		r = xctl_errf(err, EINVAL, "value of %zu bytes is too small for %s", size,
			      xbtf_desc(btf, type_id, d, sizeof(d)));
		xctl_err_why(err, "the type needs %llu bytes", (unsigned long long)tsize);
		return r;
	}
	if (!at)
		return walk(&w, type_id, data, tsize, out ? out : &none);
	if (at->nbits) {
		r = xbtf_skip(btf, at->mid, &t, err);
		return r < 0 ? r : scalar_bits(&w, r, t, data, at->off, at->nbits, out);
	}
	r = xbtf_size(btf, at->mid, &tsize, err);
	return r ? r : walk(&w, at->mid, (const uint8_t *)data + at->off / 8, tsize, out);
}

int xbtf_walk_member(const struct btf *btf, uint32_t type_id, const void *data,
		     size_t size, uint32_t mid, size_t bit_off, uint32_t nbits,
		     const struct xctl_btf_dump_opts *opts, json_t **out,
		     struct xctl_err *err)
{
	struct at at = { .mid = mid, .off = bit_off, .nbits = nbits };
	json_t *v = NULL;
	int r;

	*out = NULL;
	if (!data)
		return xctl_errf(err, EINVAL, "no value to render");
	r = walk_top(btf, type_id, data, size, &at, opts, &v, err);
	if (r)
		return r;
	*out = v;
	return 0;
}

/* Members the caller marked (bit i: member i) become null in obj. */
static void null_members(const struct btf *btf, uint32_t id, uint64_t mask, json_t *obj)
{
	const struct btf_member *m;
	const struct btf_type *t;
	int i;

	if (!mask || !json_is_object(obj))
		return;
	id = btf__resolve_type(btf, id);
	t = btf__type_by_id(btf, id);
	if (!t || !btf_is_composite(t))
		return;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t) && i < 64; i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);

		if ((mask >> i & 1) && name && *name && json_object_get(obj, name))
			json_object_set_new(obj, name, json_null());
	}
}

int xctl_btf_to_json(const struct btf *btf, uint32_t type_id, const void *data,
		     size_t size, const struct xctl_btf_dump_opts *opts,
		     json_t **out, struct xctl_err *err)
{
	json_t *v = NULL;
	int r;

	*out = NULL;
	if (!data)
		return xctl_errf(err, EINVAL, "no value to render");
	r = walk_top(btf, type_id, data, size, NULL, opts, &v, err);
	if (r)
		return xctl_ret(r);
	null_members(btf, type_id, XCTL_OPT(opts, null_members, 0), v);
	*out = v;
	return 0;
}

int xctl_btf_check_type(const struct btf *btf, uint32_t type_id,
			struct xctl_err *err)
{
	return xctl_ret(walk_top(btf, type_id, NULL, 0, NULL, NULL, NULL, err));
}
