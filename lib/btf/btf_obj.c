// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Checking a BPF object image before libbpf parses it (xbtf_check_object).
 *
 * libbpf 1.1 trusts much of what it reads from an object: symbol indexes of
 * relocations (elf_sym_by_idx() has no bound), type ids of .BTF.ext records
 * (its internal btf_type_by_id() has none either), typedef/modifier chains
 * (skip_mods_and_typedefs() follows them without a limit). A file a user
 * downloaded reaches those paths through bpf_object__open_mem(), so every
 * offset, size, index and id libbpf uses is checked here first, against the
 * image, the section it points into, or the BTF it names, and the object is
 * refused with what is wrong. What cannot be shielded from here is listed
 * in docs/design/2-kernel-facts.md.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include "xctl_priv.h"
#include "btf_priv.h"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ELFDATA	ELFDATA2LSB
#define HOST_ENDIAN	"little"
#define OTHER_ENDIAN	"big"
#else
#define HOST_ELFDATA	ELFDATA2MSB
#define HOST_ENDIAN	"big"
#define OTHER_ENDIAN	"little"
#endif

#define BTF_EXT_MAGIC	0xeB9F

struct img {
	const uint8_t *p;
	size_t size;
	const char *path;
	const Elf64_Shdr *sh;	/* section headers (aligned copy) */
	uint16_t shnum;
	const char *shstr;
	size_t shstr_size;
	uint16_t symidx;	/* the symbol table, checked (0 until then) */
	struct xctl_err *err;
};

static int bad(struct img *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct img *m, const char *fmt, ...)
{
	va_list ap;
	int r = xctl_errf(m->err, ENOEXEC, "cannot open object %s", m->path);

	if (m->err) {
		va_start(ap, fmt);
		vsnprintf(m->err->why, sizeof(m->err->why), fmt, ap);
		va_end(ap);
	}
	return r;
}

/* [off, off + len) lies inside [0, size). */
static bool in_range(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const char *sec_name(const struct img *m, uint16_t i)
{
	uint32_t off = m->sh[i].sh_name;

	return off < m->shstr_size ? m->shstr + off : "?";
}

/* Bytes of section i, which must have file data. */
static const uint8_t *sec_bytes(const struct img *m, uint16_t i)
{
	return m->p + m->sh[i].sh_offset;
}

/* A string table: in the file, ends with NUL so every string terminates. */
static bool strtab_ok(const struct img *m, uint16_t i)
{
	const Elf64_Shdr *s = &m->sh[i];

	return s->sh_type == SHT_STRTAB && s->sh_size &&
	       sec_bytes(m, i)[s->sh_size - 1] == '\0';
}

static int check_header(struct img *m, Elf64_Ehdr *eh)
{
	if (m->size < EI_NIDENT || memcmp(m->p, ELFMAG, SELFMAG))
		return bad(m, "not an ELF file");
	if (m->p[EI_CLASS] != ELFCLASS64 || m->size < sizeof(*eh))
		return bad(m, "not a 64-bit ELF file (BPF objects are ELF64)");
	if (m->p[EI_DATA] != HOST_ELFDATA) {
		int r = bad(m, "it is a %s-endian object; this host is %s-endian",
			    OTHER_ENDIAN, HOST_ENDIAN);

		xctl_err_hint(m->err, "build it for this host with clang -target bpf");
		return r;
	}
	memcpy(eh, m->p, sizeof(*eh));
	if (eh->e_machine != EM_BPF) {
		int r = bad(m, "not a BPF object (ELF machine is not BPF)");

		xctl_err_hint(m->err, "build it with clang -target bpf");
		return r;
	}
	if (eh->e_type != ET_REL)
		return bad(m, "not a relocatable object (libbpf loads clang -c output)");
	if (!eh->e_shnum || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_range(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), m->size))
		return bad(m, "truncated ELF file (section headers missing)");
	if (eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= eh->e_shnum)
		return bad(m, "its section name table index %u is out of range", eh->e_shstrndx);
	return 0;
}

/* Every section's data in the file; names inside the name table. */
static int check_sections(struct img *m, uint16_t shstrndx)
{
	uint16_t i;

	for (i = 0; i < m->shnum; i++) {
		const Elf64_Shdr *s = &m->sh[i];

		/* every section but NOBITS: libbpf reads .BTF & co. whatever their type */
		if (s->sh_type != SHT_NOBITS && !in_range(s->sh_offset, s->sh_size, m->size))
			return bad(m, "truncated ELF file (data of section %u missing)", i);
	}
	if (!strtab_ok(m, shstrndx))
		return bad(m, "its section name table is not a string table");
	m->shstr = (const char *)sec_bytes(m, shstrndx);
	m->shstr_size = m->sh[shstrndx].sh_size;
	for (i = 1; i < m->shnum; i++)
		if (m->sh[i].sh_name >= m->shstr_size)
			return bad(m, "the name of section %u is outside the name table", i);
	return 0;
}

/* Section index a symbol or relocation refers to: a real section. */
static bool real_sec(const struct img *m, uint32_t idx)
{
	return idx > 0 && idx < m->shnum;
}

static int check_symbols(struct img *m, uint16_t symidx, uint32_t *nsyms)
{
	const Elf64_Shdr *s = &m->sh[symidx];
	const uint8_t *data = sec_bytes(m, symidx);
	uint32_t strsize;
	uint64_t i, n;

	if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size % sizeof(Elf64_Sym) ||
	    s->sh_size / sizeof(Elf64_Sym) > UINT32_MAX)
		return bad(m, "its symbol table has entries of %llu bytes, not %zu",
			   (unsigned long long)s->sh_entsize, sizeof(Elf64_Sym));
	if (!real_sec(m, s->sh_link) || !strtab_ok(m, s->sh_link))
		return bad(m, "its symbol table has no valid string table");
	strsize = m->sh[s->sh_link].sh_size;
	n = s->sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < n; i++) {
		Elf64_Sym sym;
		const Elf64_Shdr *t;

		memcpy(&sym, data + i * sizeof(sym), sizeof(sym));
		if (sym.st_name >= strsize)
			return bad(m, "symbol %llu has a name outside the string table",
				   (unsigned long long)i);
		if (sym.st_shndx == SHN_XINDEX)
			return bad(m, "symbol %llu uses extended section indexes",
				   (unsigned long long)i);
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
			continue;
		if (sym.st_shndx >= m->shnum)
			return bad(m, "symbol %llu is in section %u of %u",
				   (unsigned long long)i, sym.st_shndx, m->shnum);
		t = &m->sh[sym.st_shndx];
		if (ELF64_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (!in_range(sym.st_value, sym.st_size, t->sh_size))
			return bad(m, "symbol %llu (offset %llu, size %llu) lies outside "
				   "its section %s (%llu bytes)", (unsigned long long)i,
				   (unsigned long long)sym.st_value,
				   (unsigned long long)sym.st_size, sec_name(m, sym.st_shndx),
				   (unsigned long long)t->sh_size);
	}
	*nsyms = n;
	return 0;
}

static int check_relocs(struct img *m, uint16_t i, uint16_t symidx, uint32_t nsyms)
{
	const Elf64_Shdr *s = &m->sh[i], *t;
	const uint8_t *data = sec_bytes(m, i);
	uint64_t k, n;

	if (s->sh_entsize != sizeof(Elf64_Rel) || s->sh_size % sizeof(Elf64_Rel))
		return bad(m, "relocation section %s has entries of %llu bytes, not %zu",
			   sec_name(m, i), (unsigned long long)s->sh_entsize, sizeof(Elf64_Rel));
	if (s->sh_link != symidx)
		return bad(m, "relocation section %s does not use the symbol table",
			   sec_name(m, i));
	if (!real_sec(m, s->sh_info))
		return bad(m, "relocation section %s applies to section %u of %u",
			   sec_name(m, i), s->sh_info, m->shnum);
	t = &m->sh[s->sh_info];
	n = s->sh_size / sizeof(Elf64_Rel);
	for (k = 0; k < n; k++) {
		Elf64_Rel rel;

		memcpy(&rel, data + k * sizeof(rel), sizeof(rel));
		if (ELF64_R_SYM(rel.r_info) >= nsyms)
			return bad(m, "relocation %llu of %s names symbol %llu of %u",
				   (unsigned long long)k, sec_name(m, i),
				   (unsigned long long)ELF64_R_SYM(rel.r_info), nsyms);
		/* Programs are relocated per instruction (8 bytes), data by 32-bit words at least. */
		if ((t->sh_flags & SHF_EXECINSTR) ?
		    rel.r_offset % 8 || !in_range(rel.r_offset, 8, t->sh_size) :
		    !in_range(rel.r_offset, 4, t->sh_size))
			return bad(m, "relocation %llu of %s (offset %llu) lies outside "
				   "section %s", (unsigned long long)k, sec_name(m, i),
				   (unsigned long long)rel.r_offset, sec_name(m, s->sh_info));
	}
	return 0;
}

enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE };

/*
 * Record fields that refer into the BTF: func_info {insn_off, type_id},
 * line_info {insn_off, file_name_off, line_off, line_col}, core_relo
 * {insn_off, type_id, access_str_off, kind}.
 */
static bool ext_rec_ok(const struct btf *btf, enum ext_kind kind, const uint32_t *f)
{
	uint32_t types = btf__type_cnt(btf);

	switch (kind) {
	case EXT_FUNC:
		return f[1] < types;
	case EXT_LINE:
		return btf__str_by_offset(btf, f[1]) && btf__str_by_offset(btf, f[2]);
	default:
		return f[1] < types && btf__str_by_offset(btf, f[2]);
	}
}

/* One .BTF.ext info set: a record size, then blocks of records per section. */
static int check_ext_info(struct img *m, const struct btf *btf, const uint8_t *p,
			  uint32_t len, enum ext_kind kind)
{
	static const char *const whats[] = { "function info", "line info",
					     "CO-RE relocations" };
	uint32_t min_rec = kind == EXT_FUNC ? 8 : 16, rec, off = 4;
	const char *what = whats[kind];

	if (!len)
		return 0;
	if (len < 4)
		return bad(m, "its .BTF.ext %s is truncated", what);
	memcpy(&rec, p, 4);
	if (rec < min_rec || rec % 4)
		return bad(m, "its .BTF.ext %s has records of %u bytes", what, rec);
	while (off < len) {
		uint32_t sec_off, num, k;

		if (len - off < 8)
			return bad(m, "its .BTF.ext %s is truncated", what);
		memcpy(&sec_off, p + off, 4);
		memcpy(&num, p + off + 4, 4);
		off += 8;
		if (!btf__str_by_offset(btf, sec_off))
			return bad(m, "its .BTF.ext %s names a section outside the BTF strings",
				   what);
		if (!num || num > (len - off) / rec)
			return bad(m, "its .BTF.ext %s has a block of %u records that does "
				   "not fit", what, num);
		for (k = 0; k < num; k++, off += rec) {
			uint32_t f[4] = {};

			memcpy(f, p + off, min_rec);
			if (!ext_rec_ok(btf, kind, f))
				return bad(m, "its .BTF.ext %s refer to types or strings "
					   "outside the BTF", what);
		}
	}
	return 0;
}

static int check_btf_ext(struct img *m, const struct btf *btf, uint16_t i)
{
	const uint8_t *p = sec_bytes(m, i);
	uint64_t size = m->sh[i].sh_size;
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len;
		uint32_t func_off, func_len, line_off, line_len;
		uint32_t core_off, core_len;
	} h = {};
	int r;

	if (size < 24)
		return bad(m, "its .BTF.ext section is truncated");
	memcpy(&h, p, 24);
	if (h.magic != BTF_EXT_MAGIC || h.version != 1 || h.hdr_len < 24 || h.hdr_len > size)
		return bad(m, "its .BTF.ext header is invalid");
	if (h.hdr_len >= 32)
		memcpy(&h.core_off, p + 24, 8);
	p += h.hdr_len;
	size -= h.hdr_len;
	if (!in_range(h.func_off, h.func_len, size) || !in_range(h.line_off, h.line_len, size) ||
	    !in_range(h.core_off, h.core_len, size))
		return bad(m, "its .BTF.ext sections lie outside it");
	r = check_ext_info(m, btf, p + h.func_off, h.func_len, EXT_FUNC);
	if (!r)
		r = check_ext_info(m, btf, p + h.line_off, h.line_len, EXT_LINE);
	if (!r)
		r = check_ext_info(m, btf, p + h.core_off, h.core_len, EXT_CORE);
	return r;
}

/*
 * A section's variables fit in it: libbpf 1.1 allocates each struct_ops
 * variable's type size (malloc) before comparing it with the section, so
 * a struct claiming 3 GiB in a 25 KiB object is refused here first.
 */
/*
 * The value of the symbol libbpf takes for global variable name when it
 * fixes a DATASEC's offsets (the first global or weak STT_OBJECT of that
 * name, whatever its section): false when there is none.
 */
static bool var_sym_value(const struct img *m, const char *name, uint64_t *value)
{
	const Elf64_Shdr *s = &m->sh[m->symidx];
	const uint8_t *data = sec_bytes(m, m->symidx);
	const char *str = (const char *)sec_bytes(m, s->sh_link);
	uint64_t i, n = s->sh_size / sizeof(Elf64_Sym);
	Elf64_Sym sym;

	for (i = 0; m->symidx && i < n; i++) {
		memcpy(&sym, data + i * sizeof(sym), sizeof(sym));
		if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT ||
		    (ELF64_ST_BIND(sym.st_info) != STB_GLOBAL &&
		     ELF64_ST_BIND(sym.st_info) != STB_WEAK))
			continue;
		if (!strcmp(str + sym.st_name, name)) {	/* st_name checked */
			*value = sym.st_value;
			return true;
		}
	}
	return false;
}

/*
 * Where libbpf will put each variable of a DATASEC that names a section:
 * the offset the BTF gives, or (a DATASEC of size 0, as clang writes them,
 * for a variable that is not static) its symbol's value. libbpf 1.1 then
 * copies the variable's bytes from that offset without checking it (a
 * crafted symbol value made it read gigabytes past the section), so it must
 * lie inside the section.
 */
static int check_datasecs(struct img *m, const struct btf *btf)
{
	uint32_t id, n = btf__type_cnt(btf);
	uint16_t i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vi;
		const char *name, *vname;
		uint64_t size, off;
		uint16_t k;

		if (!btf_is_datasec(t) || !(name = btf__str_by_offset(btf, t->name_off)))
			continue;
		for (i = 1; i < m->shnum; i++)
			if (!strcmp(sec_name(m, i), name))
				break;
		if (i == m->shnum)
			continue;
		vi = btf_var_secinfos(t);
		for (k = 0; k < btf_vlen(t); k++) {
			const struct btf_type *v = btf__type_by_id(btf, vi[k].type);

			if (!btf_is_var(v) || xbtf_size(btf, v->type, &size, NULL))
				continue;	/* functions: no data */
			vname = btf__str_by_offset(btf, v->name_off) ?: "?";
			if (size > m->sh[i].sh_size)
				return bad(m, "variable %s (%llu bytes) is larger than its "
					   "section %s (%llu bytes)", vname,
					   (unsigned long long)size, name,
					   (unsigned long long)m->sh[i].sh_size);
			off = vi[k].offset;
			/* libbpf keeps the BTF offset of static and extern ones */
			if (!t->size && btf_var(v)->linkage != BTF_VAR_STATIC &&
			    btf_var(v)->linkage != BTF_VAR_GLOBAL_EXTERN &&
			    !var_sym_value(m, vname, &off))
				continue;	/* libbpf refuses it: no symbol */
			if (!in_range(off, size, m->sh[i].sh_size))
				return bad(m, "variable %s (offset %llu, %llu bytes) lies outside "
					   "its section %s (%llu bytes)", vname,
					   (unsigned long long)off, (unsigned long long)size,
					   name, (unsigned long long)m->sh[i].sh_size);
		}
	}
	return 0;
}

static int check_btf(struct img *m, uint16_t btf_idx, uint16_t ext_idx)
{
	struct btf *btf;
	int r;

	if (m->sh[btf_idx].sh_type == SHT_NOBITS)
		return bad(m, "its .BTF section has no data");
	btf = btf__new(sec_bytes(m, btf_idx), m->sh[btf_idx].sh_size);
	if (!btf)
		return bad(m, "its BTF is corrupt (libbpf cannot parse it)");
	r = xbtf_check_all(btf, m->err);
	if (r) {
		char why[sizeof(m->err->why)];

		snprintf(why, sizeof(why), "%s", m->err ? m->err->why : "");
		r = bad(m, "its BTF is malformed: %s", why);
	} else if ((r = check_datasecs(m, btf))) {
		;
	} else if (ext_idx) {
		if (m->sh[ext_idx].sh_type == SHT_NOBITS)
			r = bad(m, "its .BTF.ext section has no data");
		else
			r = check_btf_ext(m, btf, ext_idx);
	}
	btf__free(btf);
	return r;
}

int xbtf_check_object(const void *image, size_t size, const char *path,
		      struct xctl_err *err)
{
	struct img m = { .p = image, .size = size, .path = path, .err = err };
	uint16_t i, symidx = 0, btf_idx = 0, ext_idx = 0;
	Elf64_Shdr *sh = NULL;
	uint32_t nsyms = 0;
	Elf64_Ehdr eh;
	int r;

	r = check_header(&m, &eh);
	if (r)
		return r;
	/* Copied out: the image need not be aligned for Elf64_Shdr. */
	sh = malloc((size_t)eh.e_shnum * sizeof(*sh));
	if (!sh)
		return xctl_errf(err, ENOMEM, "cannot open object %s", path);
	memcpy(sh, m.p + eh.e_shoff, (size_t)eh.e_shnum * sizeof(*sh));
	m.sh = sh;
	m.shnum = eh.e_shnum;
	r = check_sections(&m, eh.e_shstrndx);
	if (r)
		goto out;
	for (i = 1; i < m.shnum; i++) {
		const char *name = sec_name(&m, i);

		if (sh[i].sh_type == SHT_SYMTAB) {
			if (symidx) {
				r = bad(&m, "it has more than one symbol table");
				goto out;
			}
			symidx = i;
		} else if (!strcmp(name, ".BTF")) {
			btf_idx = i;
		} else if (!strcmp(name, ".BTF.ext")) {
			ext_idx = i;
		}
	}
	if (!symidx) {
		r = bad(&m, "it has no symbol table (was it stripped?)");
		goto out;
	}
	r = check_symbols(&m, symidx, &nsyms);
	m.symidx = r ? 0 : symidx;
	for (i = 1; !r && i < m.shnum; i++)
		if (sh[i].sh_type == SHT_REL)
			r = check_relocs(&m, i, symidx, nsyms);
	if (!r && btf_idx)
		r = check_btf(&m, btf_idx, ext_idx);
	else if (!r && ext_idx)
		r = bad(&m, "it has .BTF.ext but no .BTF");
out:
	free(sh);
	return r;
}
