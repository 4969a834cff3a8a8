// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `.struct_ops.link` objects for libbpf < 1.2, which reads struct_ops maps
 * from the `.struct_ops` section only (libbpf 1.2 added `.struct_ops.link`).
 *
 * Before libbpf sees the object, xctl rewrites its in-memory copy so that
 * every struct_ops map is in `.struct_ops`; xctl sets BPF_F_LINK on every map
 * itself, so nothing of the section's meaning is lost:
 *
 *   only `.struct_ops.link`   the section (and `.rel.struct_ops.link`) is
 *                             renamed, and so is its BTF DATASEC;
 *   both sections (mixed)     the link section's data is appended to a new
 *                             copy of `.struct_ops`, its relocations to a new
 *                             `.rel.struct_ops`, its symbols moved, its
 *                             DATASEC's variables added to `.struct_ops`'s,
 *                             and the old sections left unnamed (libbpf skips
 *                             them).
 *
 * Names are never edited in place (string tables may share tails): new
 * names are appended to a new copy of the section name table, and the BTF
 * is rebuilt with its string section unchanged but for appended strings, so
 * every offset .BTF.ext holds stays valid. New section data goes at the end
 * of the image; the section headers are updated to point at it.
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

#define SEC_SOPS	".struct_ops"
#define SEC_LINK	".struct_ops.link"
#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
/* btf_type.info: vlen in bits 0-15, kind in bits 24-28 (linux/btf.h) */
#define INFO(kind, vlen)	(((uint32_t)(kind) << 24) | ((vlen) & 0xffff))

struct image {
	char *buf;
	size_t size;
	Elf64_Ehdr eh;
	Elf64_Shdr *sh;		/* copies; written back at the end */
	const char *shstr;	/* the section name table, in buf */
	size_t shstr_size;
	/* section indices, 0 when absent */
	size_t sops, link, rel_sops, rel_link, symtab, btf;
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

static int read_headers(struct image *im, const char *path, struct xctl_err *err)
{
	const Elf64_Shdr *str;
	size_t i;

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
		else if (!strcmp(n, SEC_SOPS))
			im->sops = i;
		else if (!strcmp(n, SEC_LINK))
			im->link = i;
		else if (sh->sh_type == SHT_REL && !strcmp(n, ".rel" SEC_SOPS))
			im->rel_sops = i;
		else if (sh->sh_type == SHT_REL && !strcmp(n, ".rel" SEC_LINK))
			im->rel_link = i;
	}
	if ((im->rel_sops && (im->sh[im->rel_sops].sh_entsize != sizeof(Elf64_Rel) ||
			      im->sh[im->rel_sops].sh_size % sizeof(Elf64_Rel))) ||
	    (im->rel_link && (im->sh[im->rel_link].sh_entsize != sizeof(Elf64_Rel) ||
			      im->sh[im->rel_link].sh_size % sizeof(Elf64_Rel))))
		return fmt_err(err, path, "corrupt struct_ops relocations");
	if (!im->btf)
		return fmt_err(err, path, "the object has struct_ops but no BTF");
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
	/* the two DATASECs: byte offset of their record in types, or -1 */
	long long ds_sops, ds_link;
};

static const char *btf_str(const struct btf_raw *b, uint32_t off)
{
	if (off >= b->h.str_len || !memchr(b->strs + off, '\0', b->h.str_len - off))
		return NULL;
	return b->strs + off;
}

static int parse_btf(const struct image *im, struct btf_raw *b, const char *path,
		     struct xctl_err *err)
{
	const Elf64_Shdr *sh = &im->sh[im->btf];
	const char *raw = im->buf + sh->sh_offset;
	size_t pos;

	b->ds_sops = b->ds_link = -1;
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
		const struct btf_type *t = (const struct btf_type *)(b->types + pos);
		size_t n = btf_rec_size(t, b->h.type_len - pos);
		const char *name;

		if (!n)
			return fmt_err(err, path, "its BTF has a type xctl cannot read");
		if (BTF_INFO_KIND(t->info) == BTF_KIND_DATASEC &&
		    (name = btf_str(b, t->name_off))) {
			if (!strcmp(name, SEC_SOPS))
				b->ds_sops = pos;
			else if (!strcmp(name, SEC_LINK))
				b->ds_link = pos;
		}
		pos += n;
	}
	if (b->ds_link < 0)
		return fmt_err(err, path, "its BTF does not describe the " SEC_LINK " section");
	return 0;
}

/*
 * The new BTF: the `.struct_ops` DATASEC holds the link section's variables
 * too (offsets moved by base), and the `.struct_ops.link` DATASEC becomes an
 * anonymous `void *` so that every type id stays; with no `.struct_ops`
 * DATASEC, the link one is renamed. Strings: unchanged, one appended.
 */
static int build_btf(const struct btf_raw *b, size_t base, uint64_t link_size,
		     struct tail *out, long long *off, size_t *len)
{
	const struct btf_type *tl = (const void *)(b->types + b->ds_link);
	const struct btf_var_secinfo *vl = (const void *)(tl + 1);
	size_t nl = BTF_INFO_VLEN(tl->info), pos, i;
	struct btf_header h = b->h;
	struct tail t = {};
	bool ok = buf_put(&t, NULL, sizeof(h), false) >= 0;

	for (pos = 0; ok && pos < b->h.type_len;) {
		const struct btf_type *src = (const void *)(b->types + pos);
		size_t n = btf_rec_size(src, b->h.type_len - pos);
		struct btf_type nt = *src;

		if ((long long)pos == b->ds_link && b->ds_sops >= 0) {
			nt.name_off = 0;
			nt.info = INFO(BTF_KIND_PTR, 0);
			nt.type = 0;
			ok = buf_put(&t, &nt, sizeof(nt), false) >= 0;
		} else if ((long long)pos == b->ds_link) {
			nt.name_off = b->h.str_len;	/* ".struct_ops", appended */
			ok = buf_put(&t, &nt, sizeof(nt), false) >= 0 &&
			     buf_put(&t, src + 1, n - sizeof(nt), false) >= 0;
		} else if ((long long)pos == b->ds_sops) {
			size_t ns = BTF_INFO_VLEN(src->info);

			if (ns + nl > 0xffff) {
				free(t.buf);
				return -E2BIG;
			}
			nt.info = INFO(BTF_KIND_DATASEC, ns + nl);
			if (nt.size)	/* sized by a linker: sized again */
				nt.size = base + link_size;
			ok = buf_put(&t, &nt, sizeof(nt), false) >= 0 &&
			     buf_put(&t, src + 1, n - sizeof(nt), false) >= 0;
			for (i = 0; ok && i < nl; i++) {
				struct btf_var_secinfo v = vl[i];

				v.offset += base;
				ok = buf_put(&t, &v, sizeof(v), false) >= 0;
			}
		} else {
			ok = buf_put(&t, src, n, false) >= 0;
		}
		pos += n;
	}
	h.hdr_len = sizeof(h);
	h.type_off = 0;
	h.type_len = t.len - sizeof(h);
	h.str_off = h.type_len;
	h.str_len = b->h.str_len;
	ok = ok && buf_put(&t, b->strs, b->h.str_len, false) >= 0;
	if (ok && b->ds_sops < 0) {
		ok = buf_put(&t, SEC_SOPS, sizeof(SEC_SOPS), false) >= 0;
		h.str_len += sizeof(SEC_SOPS);
	}
	if (ok) {
		memcpy(t.buf, &h, sizeof(h));
		*off = tail_put(out, t.buf, t.len);
		*len = t.len;
		ok = *off >= 0;
	}
	free(t.buf);
	return ok ? 0 : -ENOMEM;
}

/* Move the link section's symbols into `.struct_ops`, base bytes on. */
static int move_syms(struct image *im, size_t base)
{
	const Elf64_Shdr *st = &im->sh[im->symtab];
	size_t i, n;

	if (!im->symtab || st->sh_entsize != sizeof(Elf64_Sym) ||
	    !in_image(im, st->sh_offset, st->sh_size))
		return -ENOEXEC;
	n = st->sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < n; i++) {
		char *p = im->buf + st->sh_offset + i * sizeof(Elf64_Sym);
		Elf64_Sym sym;

		memcpy(&sym, p, sizeof(sym));
		if (sym.st_shndx != im->link || ELF64_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		sym.st_shndx = im->sops;
		sym.st_value += base;
		memcpy(p, &sym, sizeof(sym));
	}
	return 0;
}

/* Where each rewritten section's new contents are in the tail (-1: none). */
struct moved {
	long long sops, rel, names, btf;
	size_t sops_len, rel_len, names_len, btf_len;
	size_t rel_sec;		/* the section header that gets the new relocations */
};

/* Relocations of both sections, the link ones moved base bytes on. */
static int merge_rels(struct image *im, size_t base, struct tail *t, struct moved *mv)
{
	const Elf64_Shdr *rl = &im->sh[im->rel_link];
	const Elf64_Shdr *rs = im->rel_sops ? &im->sh[im->rel_sops] : NULL;
	size_t i, n = rl->sh_size / sizeof(Elf64_Rel), start;
	long long off;

	off = tail_put(t, rs ? im->buf + rs->sh_offset : NULL, rs ? rs->sh_size : 0);
	if (off < 0 || tail_put(t, im->buf + rl->sh_offset, rl->sh_size) < 0)
		return -ENOMEM;
	start = t->len - rl->sh_size;
	for (i = 0; i < n; i++) {
		Elf64_Rel rel;

		memcpy(&rel, t->buf + start + i * sizeof(rel), sizeof(rel));
		rel.r_offset += base;
		memcpy(t->buf + start + i * sizeof(rel), &rel, sizeof(rel));
	}
	/* rs->sh_size is a multiple of 8: no gap between the two */
	mv->rel = off;
	mv->rel_len = (rs ? rs->sh_size : 0) + rl->sh_size;
	mv->rel_sec = rs ? im->rel_sops : im->rel_link;
	return 0;
}

/* The new section name table: the old one, ".struct_ops", ".rel.struct_ops". */
static int new_names(const struct image *im, struct tail *t, struct moved *mv,
		     uint32_t *sops_name, uint32_t *rel_name, uint32_t *empty_name)
{
	static const char add[] = SEC_SOPS "\0.rel" SEC_SOPS;

	mv->names = tail_put(t, im->shstr, im->shstr_size);
	if (mv->names < 0 || buf_put(t, add, sizeof(add), false) < 0)
		return -ENOMEM;
	mv->names_len = im->shstr_size + sizeof(add);
	*sops_name = im->shstr_size;
	*empty_name = im->shstr_size + strlen(SEC_SOPS);
	*rel_name = im->shstr_size + sizeof(SEC_SOPS);
	return 0;
}

int sops_image_merge_link(char **image, size_t *size, const char *path,
			  struct xctl_err *err)
{
	struct image im = { .buf = *image, .size = *size };
	struct moved mv = { -1, -1, -1, -1 };
	uint32_t sops_name, rel_name, empty_name;
	Elf64_Shdr *L, *S;
	struct tail t = {};
	struct btf_raw b;
	size_t base = 0, end;
	char *nb;
	int r;

	r = read_headers(&im, path, err);
	if (r || !im.link)
		goto out;
	r = parse_btf(&im, &b, path, err);
	if (r)
		goto out;
	L = &im.sh[im.link];
	S = im.sops ? &im.sh[im.sops] : NULL;
	if (L->sh_type != SHT_PROGBITS || L->sh_addralign > 8 ||
	    (S && (S->sh_type != SHT_PROGBITS || S->sh_addralign > 8))) {
		r = fmt_err(err, path, "its struct_ops sections are not plain data");
		goto out;
	}
	r = -ENOMEM;
	if (S) {
		base = ALIGN8(S->sh_size);
		mv.sops = tail_put(&t, NULL, base + L->sh_size);
		if (mv.sops < 0)
			goto nomem;
		memcpy(t.buf + mv.sops, im.buf + S->sh_offset, S->sh_size);
		memcpy(t.buf + mv.sops + base, im.buf + L->sh_offset, L->sh_size);
		mv.sops_len = base + L->sh_size;
		if (move_syms(&im, base)) {
			r = fmt_err(err, path, "corrupt symbol table");
			goto out;
		}
		if (im.rel_link && merge_rels(&im, base, &t, &mv))
			goto nomem;
	}
	if (new_names(&im, &t, &mv, &sops_name, &rel_name, &empty_name) ||
	    build_btf(&b, base, L->sh_size, &t, &mv.btf, &mv.btf_len))
		goto nomem;

	/* the section headers, pointing at the new contents */
	L->sh_name = S ? empty_name : sops_name;
	if (im.rel_link) {
		im.sh[im.rel_link].sh_name = S && im.rel_sops ? empty_name : rel_name;
		if (S && !im.rel_sops)
			im.sh[im.rel_link].sh_info = im.sops;
	}
	end = ALIGN8(im.size);
	if (S) {
		S->sh_offset = end + mv.sops;
		S->sh_size = mv.sops_len;
	}
	if (mv.rel >= 0) {
		im.sh[mv.rel_sec].sh_offset = end + mv.rel;
		im.sh[mv.rel_sec].sh_size = mv.rel_len;
	}
	im.sh[im.eh.e_shstrndx].sh_offset = end + mv.names;
	im.sh[im.eh.e_shstrndx].sh_size = mv.names_len;
	im.sh[im.btf].sh_offset = end + mv.btf;
	im.sh[im.btf].sh_size = mv.btf_len;

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
	free(t.buf);
	free(im.sh);
	return r;
}
