// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Struct_ops objects as older libbpf can read them. libbpf 1.1 makes maps of
 * the `.struct_ops` section only; objects may also have `.struct_ops.link`
 * (libbpf 1.2) and the optional `?.struct_ops` and `?.struct_ops.link`
 * (libbpf 1.4: their maps are created only when the program asks with
 * bpf_map__set_autocreate()).
 *
 * Before a libbpf that lacks one of the object's sections sees it (1.1; 1.2
 * and 1.3 for the optional ones), xctl rewrites an in-memory copy of
 * it so that the maps to register -- the variables `keep` accepts -- are
 * ordinary maps of one `.struct_ops` section, and the others are no maps at
 * all (libbpf 1.1 never sees them):
 *
 *   data          every struct_ops section's data, one after the other
 *                 (8-aligned), the first one's at offset 0, in a new copy of
 *                 the first struct_ops section, named `.struct_ops`; the
 *                 other sections are left unnamed (libbpf skips unnamed
 *                 data and relocation sections);
 *   relocations   those inside a kept variable, moved with their data, in
 *                 one `.rel.struct_ops`; the others are dropped (libbpf 1.1
 *                 refuses a relocation outside every map);
 *   symbols       those of the sections, moved with their data;
 *   BTF           the first section's DATASEC becomes `.struct_ops` and
 *                 lists the kept variables only; every other struct_ops
 *                 DATASEC becomes an anonymous `void *`, so that every type
 *                 id stays. With nothing kept, no section is `.struct_ops`
 *                 and no DATASEC is left (the kernel refuses an empty one).
 *
 * xctl sets BPF_F_LINK on every map itself, so nothing of the sections'
 * meaning is lost; which map was optional xctl knows from the file.
 *
 * Names are never edited in place (string tables may share tails): new
 * names are appended to a new copy of the section name table, and the BTF
 * is rebuilt with its string section unchanged but for an appended string,
 * so every offset .BTF.ext holds stays valid. New section data goes at the
 * end of the image; the section headers are updated to point at it.
 *
 * Every offset and size read from the file is checked against the image.
 */
#include <errno.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "xctl_priv.h"
#include "sops_priv.h"

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
/* btf_type.info: vlen in bits 0-15, kind in bits 24-28 (linux/btf.h) */
#define INFO(kind, vlen)	(((uint32_t)(kind) << 24) | ((vlen) & 0xffff))

static const char *const sec_names[SOPS_NSECS] = SOPS_SEC_NAMES;

struct image {
	char *buf;
	size_t size;
	Elf64_Ehdr eh;
	Elf64_Shdr *sh;		/* copies; written back at the end */
	const char *shstr;	/* the section name table, in buf */
	size_t shstr_size;
	/* section indices, 0 when absent: sec[k] is sec_names[k] */
	size_t sec[SOPS_NSECS], rel[SOPS_NSECS];
	size_t symtab, strtab, btf;
};

static int fmt_err(struct xctl_err *err, const char *path, const char *why)
{
	int r = xctl_errf(err, ENOEXEC, "cannot open object %s", path);

	xctl_err_why(err, "%s", why);
	return r;
}

static bool in_image(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static const char *sec_name(const struct image *im, const Elf64_Shdr *sh)
{
	if (sh->sh_name >= im->shstr_size ||
	    !memchr(im->shstr + sh->sh_name, '\0', im->shstr_size - sh->sh_name))
		return NULL;
	return im->shstr + sh->sh_name;
}

static int sec_index(const char *name)
{
	int k;

	for (k = 0; k < SOPS_NSECS; k++)
		if (!strcmp(name, sec_names[k]))
			return k;
	return -1;
}

/* The symbol table and its string table, checked; false when unusable. */
static bool check_symtab(struct image *im)
{
	const Elf64_Shdr *st = &im->sh[im->symtab], *ss;

	if (!im->symtab || st->sh_entsize != sizeof(Elf64_Sym) ||
	    st->sh_link == 0 || st->sh_link >= im->eh.e_shnum)
		return false;
	ss = &im->sh[st->sh_link];
	if (ss->sh_type != SHT_STRTAB || !ss->sh_size)
		return false;
	im->strtab = st->sh_link;
	return true;	/* both inside the image: read_headers checked */
}

static int read_headers(struct image *im, const char *path, struct xctl_err *err)
{
	const Elf64_Shdr *str;
	size_t i;
	int k;

	if (im->size < sizeof(im->eh))
		return fmt_err(err, path, "truncated ELF header");
	memcpy(&im->eh, im->buf, sizeof(im->eh));
	if (im->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    im->eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
					ELFDATA2LSB : ELFDATA2MSB))
		return fmt_err(err, path, "a BPF object of another byte order");
	if (im->eh.e_shentsize != sizeof(Elf64_Shdr) || !im->eh.e_shnum ||
	    im->eh.e_shstrndx >= im->eh.e_shnum ||
	    !in_image(im, im->eh.e_shoff, (uint64_t)im->eh.e_shnum * sizeof(Elf64_Shdr)))
		return fmt_err(err, path, "truncated ELF file (section headers missing)");
	im->sh = calloc(im->eh.e_shnum, sizeof(*im->sh));
	if (!im->sh)
		return xctl_errf(err, ENOMEM, "cannot open object %s", path);
	memcpy(im->sh, im->buf + im->eh.e_shoff, im->eh.e_shnum * sizeof(Elf64_Shdr));
	str = &im->sh[im->eh.e_shstrndx];
	if (str->sh_type != SHT_STRTAB || !in_image(im, str->sh_offset, str->sh_size))
		return fmt_err(err, path, "corrupt section name table");
	im->shstr = im->buf + str->sh_offset;
	im->shstr_size = str->sh_size;
	for (i = 1; i < im->eh.e_shnum; i++) {
		const Elf64_Shdr *sh = &im->sh[i];
		const char *n = sec_name(im, sh);

		if (!n)
			return fmt_err(err, path, "corrupt section name table");
		if (sh->sh_type != SHT_NOBITS && !in_image(im, sh->sh_offset, sh->sh_size))
			return fmt_err(err, path, "truncated ELF file (section data missing)");
		if (sh->sh_type == SHT_SYMTAB)
			im->symtab = i;
		else if (!strcmp(n, ".BTF"))
			im->btf = i;
		else if ((k = sec_index(n)) >= 0)
			im->sec[k] = i;
		else if (sh->sh_type == SHT_REL && !strncmp(n, ".rel", 4) &&
			 (k = sec_index(n + 4)) >= 0)
			im->rel[k] = i;
	}
	for (k = 0; k < SOPS_NSECS; k++) {
		const Elf64_Shdr *rel = &im->sh[im->rel[k]], *sec = &im->sh[im->sec[k]];

		if (im->sec[k] && (sec->sh_type != SHT_PROGBITS || sec->sh_addralign > 8))
			return fmt_err(err, path, "its struct_ops sections are not plain data");
		if (!im->rel[k])
			continue;
		if (!im->sec[k] || rel->sh_info != im->sec[k] ||
		    rel->sh_entsize != sizeof(Elf64_Rel) || rel->sh_size % sizeof(Elf64_Rel))
			return fmt_err(err, path, "corrupt struct_ops relocations");
	}
	if (!im->btf)
		return fmt_err(err, path, "the object has struct_ops but no BTF");
	if (!check_symtab(im))
		return fmt_err(err, path, "corrupt symbol table");
	return 0;
}

/* A growing buffer of new section contents, appended to the image at the end. */
struct tail {
	char *buf;
	size_t len, cap;
};

/*
 * Append len bytes (p NULL: zeros) at an 8-aligned offset when align, else
 * right after the last; returns their offset in the buffer, or -1.
 */
static long long buf_put(struct tail *t, const void *p, size_t len, bool align)
{
	size_t off = align ? ALIGN8(t->len) : t->len;
	char *nb;

	if (off + len > t->cap) {
		size_t cap = (off + len) * 2 + 64;

		nb = realloc(t->buf, cap);
		if (!nb)
			return -1;
		t->buf = nb;
		t->cap = cap;
	}
	memset(t->buf + t->len, 0, off - t->len);
	if (p)
		memcpy(t->buf + off, p, len);
	else
		memset(t->buf + off, 0, len);
	t->len = off + len;
	return off;
}

static long long tail_put(struct tail *t, const void *p, size_t len)
{
	return buf_put(t, p, len, true);
}

/* Size in bytes of the BTF type at p (at most left bytes), 0 if malformed. */
static size_t btf_rec_size(const struct btf_type *t, size_t left)
{
	size_t vlen = BTF_INFO_VLEN(t->info), n = sizeof(*t);

	if (left < sizeof(*t))
		return 0;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		n += 4;
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		break;
	case BTF_KIND_ARRAY:
		n += sizeof(struct btf_array);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		n += vlen * sizeof(struct btf_member);
		break;
	case BTF_KIND_ENUM:
		n += vlen * sizeof(struct btf_enum);
		break;
	case BTF_KIND_FUNC_PROTO:
		n += vlen * sizeof(struct btf_param);
		break;
	case BTF_KIND_DATASEC:
		n += vlen * sizeof(struct btf_var_secinfo);
		break;
	case 19:	/* BTF_KIND_ENUM64, newer than the 6.1 headers */
		n += vlen * 12;
		break;
	default:
		return 0;
	}
	return n <= left ? n : 0;
}

struct btf_raw {
	struct btf_header h;
	const char *types;	/* h.type_len bytes */
	const char *strs;	/* h.str_len bytes */
	size_t *rec;		/* byte offset in types of type id i + 1 */
	size_t nrec;
	/* the struct_ops DATASECs: byte offset of their record in types, or -1 */
	long long ds[SOPS_NSECS];
};

static const char *btf_str(const struct btf_raw *b, uint32_t off)
{
	if (off >= b->h.str_len || !memchr(b->strs + off, '\0', b->h.str_len - off))
		return NULL;
	return b->strs + off;
}

static const struct btf_type *btf_rec(const struct btf_raw *b, long long pos)
{
	return (const struct btf_type *)(b->types + pos);
}

/* Record type offset pos as the next type id's. */
static int add_rec(struct btf_raw *b, size_t pos)
{
	size_t *n;

	if (!(b->nrec & (b->nrec + 1))) {	/* 0, 1, 3, 7...: grow */
		n = realloc(b->rec, (b->nrec * 2 + 2) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->rec = n;
	}
	b->rec[b->nrec++] = pos;
	return 0;
}

static int parse_btf(const struct image *im, struct btf_raw *b, const char *path,
		     struct xctl_err *err)
{
	const Elf64_Shdr *sh = &im->sh[im->btf];
	const char *raw = im->buf + sh->sh_offset;
	size_t pos;
	int k;

	for (k = 0; k < SOPS_NSECS; k++)
		b->ds[k] = -1;
	if (sh->sh_size < sizeof(b->h))
		return fmt_err(err, path, "its BTF is corrupt");
	memcpy(&b->h, raw, sizeof(b->h));
	if (b->h.magic != BTF_MAGIC || b->h.hdr_len < sizeof(b->h) ||
	    b->h.hdr_len > sh->sh_size ||
	    b->h.type_off > sh->sh_size - b->h.hdr_len ||
	    b->h.type_len > sh->sh_size - b->h.hdr_len - b->h.type_off ||
	    b->h.str_off > sh->sh_size - b->h.hdr_len ||
	    b->h.str_len > sh->sh_size - b->h.hdr_len - b->h.str_off || !b->h.str_len)
		return fmt_err(err, path, "its BTF is corrupt");
	b->types = raw + b->h.hdr_len + b->h.type_off;
	b->strs = raw + b->h.hdr_len + b->h.str_off;
	for (pos = 0; pos < b->h.type_len;) {
		const struct btf_type *t = btf_rec(b, pos);
		size_t n = btf_rec_size(t, b->h.type_len - pos);
		const char *name;

		if (!n)
			return fmt_err(err, path, "its BTF has a type xctl cannot read");
		if (add_rec(b, pos))
			return xctl_errf(err, ENOMEM, "cannot open object %s", path);
		if (BTF_INFO_KIND(t->info) == BTF_KIND_DATASEC &&
		    (name = btf_str(b, t->name_off)) && (k = sec_index(name)) >= 0)
			b->ds[k] = pos;
		pos += n;
	}
	for (k = 0; k < SOPS_NSECS; k++) {
		if (im->sec[k] && b->ds[k] < 0) {
			int r = fmt_err(err, path, "its BTF does not describe a struct_ops section");

			xctl_err_why(err, "its BTF does not describe the %s section",
				     sec_names[k]);
			return r;
		}
	}
	return 0;
}

/* A kept variable: its DATASEC entry as it will be, and its bytes there. */
struct kvar {
	struct btf_var_secinfo vsi;
	uint64_t lo, hi;	/* [lo, hi) in the new `.struct_ops` data */
};

struct kept {
	struct kvar *v;
	size_t n;
};

/* Symbol `name` of section shndx (not a section symbol). */
static bool find_sym(const struct image *im, size_t shndx, const char *name,
		     Elf64_Sym *out)
{
	const Elf64_Shdr *st = &im->sh[im->symtab], *ss = &im->sh[im->strtab];
	size_t i, n = st->sh_size / sizeof(Elf64_Sym);

	for (i = 0; i < n; i++) {
		Elf64_Sym sym;
		const char *sn;

		memcpy(&sym, im->buf + st->sh_offset + i * sizeof(sym), sizeof(sym));
		if (sym.st_shndx != shndx || ELF64_ST_TYPE(sym.st_info) == STT_SECTION ||
		    sym.st_name >= ss->sh_size)
			continue;
		sn = im->buf + ss->sh_offset + sym.st_name;
		if (memchr(sn, '\0', ss->sh_size - sym.st_name) && !strcmp(sn, name)) {
			*out = sym;
			return true;
		}
	}
	return false;
}

/*
 * The variables of section k that keep accepts, each at base bytes on: its
 * bytes from its symbol (value; size, else the DATASEC's), checked to be
 * inside the section.
 */
static int keep_vars(const struct image *im, const struct btf_raw *b, int k, size_t base,
		     bool (*keep)(const char *, void *), void *ctx, struct kept *kv,
		     const char *path, struct xctl_err *err)
{
	const struct btf_type *ds = btf_rec(b, b->ds[k]);
	const struct btf_var_secinfo *vsi = (const void *)(ds + 1);
	uint64_t secsz = im->sh[im->sec[k]].sh_size, sz;
	size_t i, n = BTF_INFO_VLEN(ds->info);

	for (i = 0; i < n; i++) {
		struct btf_var_secinfo v;
		const struct btf_type *var;
		const char *name;
		struct kvar *nv;
		Elf64_Sym sym;
		bool ok;
		int r;

		memcpy(&v, vsi + i, sizeof(v));
		var = v.type && v.type <= b->nrec ? btf_rec(b, b->rec[v.type - 1]) : NULL;
		if (!var || BTF_INFO_KIND(var->info) != BTF_KIND_VAR ||
		    !(name = btf_str(b, var->name_off)))
			return fmt_err(err, path, "its struct_ops BTF is corrupt");
		if (!keep(name, ctx))
			continue;
		ok = find_sym(im, im->sec[k], name, &sym);
		sz = ok && sym.st_size ? sym.st_size : v.size;
		if (!ok || sym.st_value > secsz || sz > secsz - sym.st_value ||
		    (uint64_t)v.offset + base > UINT32_MAX) {
			r = fmt_err(err, path, "its struct_ops BTF does not match the section");
			xctl_err_why(err, "variable %s is not inside the %s section", name,
				     sec_names[k]);
			return r;
		}
		nv = realloc(kv->v, (kv->n + 1) * sizeof(*nv));
		if (!nv)
			return xctl_errf(err, ENOMEM, "cannot open object %s", path);
		kv->v = nv;
		nv += kv->n++;
		nv->vsi = v;
		nv->vsi.offset += base;
		nv->lo = base + sym.st_value;
		nv->hi = nv->lo + sz;
	}
	return 0;
}

/*
 * The new BTF: the DATASEC of section first becomes `.struct_ops` with the
 * kept variables (none: like the others), every other struct_ops DATASEC an
 * anonymous `void *`. Strings: unchanged, ".struct_ops" appended.
 */
static int build_btf(const struct image *im, const struct btf_raw *b, int first,
		     const struct kept *kv, size_t total, struct tail *out, long long *off,
		     size_t *len)
{
	struct btf_header h = b->h;
	struct tail t = {};
	bool ok = buf_put(&t, NULL, sizeof(h), false) >= 0;
	size_t pos, i;
	int k;

	if (kv->n > 0xffff)
		return -E2BIG;
	for (pos = 0; ok && pos < b->h.type_len;) {
		const struct btf_type *src = btf_rec(b, pos);
		size_t n = btf_rec_size(src, b->h.type_len - pos);
		struct btf_type nt = *src;
		bool ds = false;

		for (k = 0; k < SOPS_NSECS; k++)
			ds |= im->sec[k] && (long long)pos == b->ds[k];
		if ((long long)pos == b->ds[first] && kv->n) {
			nt.name_off = b->h.str_len;	/* ".struct_ops", appended */
			nt.info = INFO(BTF_KIND_DATASEC, kv->n);
			if (nt.size)	/* sized by a linker: sized again */
				nt.size = total;
			ok = buf_put(&t, &nt, sizeof(nt), false) >= 0;
			for (i = 0; ok && i < kv->n; i++)
				ok = buf_put(&t, &kv->v[i].vsi, sizeof(kv->v[i].vsi), false) >= 0;
		} else if (ds) {
			nt.name_off = 0;
			nt.info = INFO(BTF_KIND_PTR, 0);
			nt.type = 0;
			ok = buf_put(&t, &nt, sizeof(nt), false) >= 0;
		} else {
			ok = buf_put(&t, src, n, false) >= 0;
		}
		pos += n;
	}
	h.hdr_len = sizeof(h);
	h.type_off = 0;
	h.type_len = t.len - sizeof(h);
	h.str_off = h.type_len;
	h.str_len = b->h.str_len + sizeof(SOPS_SEC);
	ok = ok && buf_put(&t, b->strs, b->h.str_len, false) >= 0 &&
	     buf_put(&t, SOPS_SEC, sizeof(SOPS_SEC), false) >= 0;
	if (ok) {
		memcpy(t.buf, &h, sizeof(h));
		*off = tail_put(out, t.buf, t.len);
		*len = t.len;
		ok = *off >= 0;
	}
	free(t.buf);
	return ok ? 0 : -ENOMEM;
}

/* Move the symbols of every struct_ops section into section first. */
static void move_syms(struct image *im, int first, const size_t *base)
{
	const Elf64_Shdr *st = &im->sh[im->symtab];
	size_t i, n = st->sh_size / sizeof(Elf64_Sym);
	int k;

	for (i = 0; i < n; i++) {
		char *p = im->buf + st->sh_offset + i * sizeof(Elf64_Sym);
		Elf64_Sym sym;

		memcpy(&sym, p, sizeof(sym));
		if (ELF64_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		for (k = 0; k < SOPS_NSECS; k++)
			if (k != first && im->sec[k] && sym.st_shndx == im->sec[k])
				break;
		if (k == SOPS_NSECS)
			continue;
		sym.st_shndx = im->sec[first];
		sym.st_value += base[k];
		memcpy(p, &sym, sizeof(sym));
	}
}

static bool rel_kept(const struct kept *kv, uint64_t off)
{
	size_t i;

	for (i = 0; i < kv->n; i++)
		if (off >= kv->v[i].lo && off < kv->v[i].hi)
			return true;
	return false;
}

/* The relocations inside kept variables, moved with their sections' data. */
static long long merge_rels(const struct image *im, const size_t *base,
			    const struct kept *kv, struct tail *t, size_t *len)
{
	long long off = tail_put(t, NULL, 0);
	size_t i, n;
	int k;

	for (k = 0; off >= 0 && k < SOPS_NSECS; k++) {
		const Elf64_Shdr *rs = &im->sh[im->rel[k]];

		n = im->rel[k] ? rs->sh_size / sizeof(Elf64_Rel) : 0;
		for (i = 0; i < n; i++) {
			Elf64_Rel rel;

			memcpy(&rel, im->buf + rs->sh_offset + i * sizeof(rel), sizeof(rel));
			if (rel.r_offset > UINT64_MAX - base[k] ||
			    !rel_kept(kv, rel.r_offset + base[k]))
				continue;
			rel.r_offset += base[k];
			if (buf_put(t, &rel, sizeof(rel), false) < 0)
				return -1;
		}
	}
	*len = t->len - off;
	return off;
}

/* Where each rewritten section's new contents are in the tail. */
struct moved {
	long long sops, rel, names, btf;
	size_t sops_len, rel_len, names_len, btf_len;
};

/* The new section name table: the old one, ".struct_ops", ".rel.struct_ops". */
static int new_names(const struct image *im, struct tail *t, struct moved *mv,
		     uint32_t *sops_name, uint32_t *rel_name, uint32_t *empty_name)
{
	static const char add[] = SOPS_SEC "\0.rel" SOPS_SEC;

	mv->names = tail_put(t, im->shstr, im->shstr_size);
	if (mv->names < 0 || buf_put(t, add, sizeof(add), false) < 0)
		return -ENOMEM;
	mv->names_len = im->shstr_size + sizeof(add);
	*sops_name = im->shstr_size;
	*empty_name = im->shstr_size + strlen(SOPS_SEC);
	*rel_name = im->shstr_size + sizeof(SOPS_SEC);
	return 0;
}

/* Every struct_ops section's data, section first's at 0, into the tail. */
static long long merge_data(const struct image *im, int first, size_t *base,
			    struct tail *t, size_t *len)
{
	size_t total = 0;
	long long off;
	int k;

	/* first is the first section there: its data goes at 0 */
	for (k = first; k < SOPS_NSECS; k++) {
		if (!im->sec[k])
			continue;
		base[k] = ALIGN8(total);
		total = base[k] + im->sh[im->sec[k]].sh_size;
	}
	off = tail_put(t, NULL, total);
	if (off < 0)
		return -1;
	for (k = 0; k < SOPS_NSECS; k++)
		if (im->sec[k])
			memcpy(t->buf + off + base[k], im->buf + im->sh[im->sec[k]].sh_offset,
			       im->sh[im->sec[k]].sh_size);
	*len = total;
	return off;
}

/* Point the section headers at the new contents, name them (sops_name 0: none). */
static void set_headers(struct image *im, int first, const struct moved *mv, size_t end,
			uint32_t sops_name, uint32_t rel_name, uint32_t empty_name)
{
	size_t rel = im->rel[first];
	int k;

	for (k = 0; k < SOPS_NSECS; k++) {
		if (im->sec[k])
			im->sh[im->sec[k]].sh_name = empty_name;
		if (im->rel[k]) {
			im->sh[im->rel[k]].sh_name = empty_name;
			rel = rel ?: im->rel[k];
		}
	}
	im->sh[im->sec[first]].sh_name = sops_name ?: empty_name;
	im->sh[im->sec[first]].sh_offset = end + mv->sops;
	im->sh[im->sec[first]].sh_size = mv->sops_len;
	if (rel) {
		im->sh[rel].sh_name = sops_name ? rel_name : empty_name;
		im->sh[rel].sh_info = im->sec[first];
		im->sh[rel].sh_offset = end + mv->rel;
		im->sh[rel].sh_size = mv->rel_len;
	}
	im->sh[im->eh.e_shstrndx].sh_offset = end + mv->names;
	im->sh[im->eh.e_shstrndx].sh_size = mv->names_len;
	im->sh[im->btf].sh_offset = end + mv->btf;
	im->sh[im->btf].sh_size = mv->btf_len;
}

int sops_image_for_legacy(char **image, size_t *size, const char *path,
			  bool (*keep)(const char *var, void *ctx), void *ctx,
			  struct xctl_err *err)
{
	struct image im = { .buf = *image, .size = *size };
	struct moved mv = { -1, -1, -1, -1 };
	uint32_t sops_name, rel_name, empty_name;
	size_t base[SOPS_NSECS] = {}, end;
	struct btf_raw b = {};
	struct kept kv = {};
	struct tail t = {};
	int r, k, first;
	char *nb;

	r = read_headers(&im, path, err);
	if (r || (!im.sec[1] && !im.sec[2] && !im.sec[3]))
		goto out;
	r = parse_btf(&im, &b, path, err);
	if (r)
		goto out;
	for (first = 0; !im.sec[first]; first++)
		;
	r = -ENOMEM;
	mv.sops = merge_data(&im, first, base, &t, &mv.sops_len);
	if (mv.sops < 0)
		goto nomem;
	for (k = 0; k < SOPS_NSECS; k++) {
		r = im.sec[k] ? keep_vars(&im, &b, k, base[k], keep, ctx, &kv, path, err) : 0;
		if (r)
			goto out;
	}
	mv.rel = merge_rels(&im, base, &kv, &t, &mv.rel_len);
	if (mv.rel < 0 || new_names(&im, &t, &mv, &sops_name, &rel_name, &empty_name))
		goto nomem;
	r = build_btf(&im, &b, first, &kv, mv.sops_len, &t, &mv.btf, &mv.btf_len);
	if (r == -E2BIG) {
		r = fmt_err(err, path, "it has more than 65535 struct_ops maps");
		goto out;
	}
	if (r)
		goto nomem;
	move_syms(&im, first, base);
	end = ALIGN8(im.size);
	set_headers(&im, first, &mv, end, kv.n ? sops_name : 0, rel_name, empty_name);

	nb = realloc(im.buf, end + t.len);
	if (!nb)
		goto nomem;
	memset(nb + im.size, 0, end - im.size);
	memcpy(nb + end, t.buf, t.len);
	memcpy(nb + im.eh.e_shoff, im.sh, im.eh.e_shnum * sizeof(Elf64_Shdr));
	*image = nb;
	*size = end + t.len;
	r = 0;
	goto out;
nomem:
	r = xctl_errf(err, ENOMEM, "cannot open object %s", path);
out:
	free(kv.v);
	free(b.rec);
	free(t.buf);
	free(im.sh);
	return r;
}
