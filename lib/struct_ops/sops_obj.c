// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops objects: open, check, describe, rename; loading is sops_load.c.
 *
 * Link-based registration (kernel 6.4+) needs BPF_F_LINK on the map before
 * it is created: xctl sets it on every struct_ops map, whatever its section
 * (libbpf 1.2+ sets it itself on `.struct_ops.link` maps, 1.1 knows only
 * `.struct_ops`). After the load, writing the value (program fds in the
 * function-pointer slots) leaves the map READY but unregistered, and a
 * BPF_STRUCT_OPS link registers it (sops_link.c).
 *
 * The object file is read into memory and checked first, so a missing,
 * non-ELF, non-BPF or truncated file gets a precise error instead of
 * libbpf's generic one, and so the image can be changed before libbpf reads
 * it: ops names and flags rewritten in the struct_ops data (libbpf 1.1 has
 * no API to edit a struct_ops map's initial value). xctl's own description
 * of the maps of all four sections (kind, ops name, section, optional, the
 * programs of their function pointers) comes from the file's ELF symbols,
 * relocations and BTF, and decides which maps a load registers
 * (sops_select.c) before libbpf opens the object. A libbpf that lacks one
 * of the object's sections (1.1: `.struct_ops.link`; < 1.4: `?.struct_ops`,
 * `?.struct_ops.link`) reads a rewritten copy instead (sops_image.c), in
 * which the selected maps are maps of `.struct_ops` and the others are
 * not maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"
#include "btf_priv.h"
#include "sops_priv.h"

/* The sections libbpf makes struct_ops maps of (sops_priv.h). */
static const char *const sops_secs[SOPS_NSECS] = SOPS_SEC_NAMES;

/*
 * The file, read once from one fd (regular files only), then checked as a
 * whole (ELF, symbols, relocations, BTF) before anything parses it.
 */
static int read_image(const char *path, struct xctl_sops_obj *o, struct xctl_err *err)
{
	struct xctl_file f;
	int r;

	r = xctl_file_read(path, XCTL_OBJ_MAX, &f, err);
	if (r) {
		if (err)
			snprintf(err->what, sizeof(err->what), "cannot open object %s", path);
		return r;
	}
	o->image = f.data;
	o->size = f.size;
	memcpy(o->sha256, f.sha256, sizeof(o->sha256));
	return xbtf_check_object(o->image, o->size, path, err);
}

static int bad_elf(struct xctl_err *err, const char *path, const char *why)
{
	int r = xctl_errf(err, ENOEXEC, "cannot open object %s", path);

	xctl_err_why(err, "%s", why);
	return r;
}

/* Section data inside the image, checked against its size. */
static void *sec_data(const struct xctl_sops_obj *o, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_NOBITS || sh->sh_offset > o->size ||
	    sh->sh_size > o->size - sh->sh_offset)
		return NULL;
	return (char *)o->image + sh->sh_offset;
}

struct sops_sec {
	GElf_Shdr sh;		/* the section of struct_ops values */
	GElf_Shdr rel;		/* its relocations (function pointers) */
	size_t idx;
	bool present, has_rel;
};

struct elf_secs {
	Elf *elf;
	GElf_Shdr btf, symtab;
	struct sops_sec sec[SOPS_NSECS];
	size_t rel_target[SOPS_NSECS];	/* sh_info of .rel<sec>, matched later */
	GElf_Shdr rel[SOPS_NSECS];
	bool has_rel[SOPS_NSECS];
	bool has_btf, has_symtab;
};

static int sops_sec_index(const char *name)
{
	int i;

	for (i = 0; i < SOPS_NSECS; i++)
		if (!strcmp(name, sops_secs[i]))
			return i;
	return -1;
}

/* ".rel.struct_ops" -> 0, ".rel.struct_ops.link" -> 1, else -1 */
static int sops_rel_index(const char *name)
{
	return strncmp(name, ".rel", 4) ? -1 : sops_sec_index(name + 4);
}

static int scan_elf(const char *path, struct xctl_sops_obj *o, struct elf_secs *s,
		    struct xctl_err *err)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t shstrndx;
	Elf *elf;
	int r = 0, i;

	s->elf = NULL;

	if (o->size < EI_NIDENT || memcmp(o->image, ELFMAG, SELFMAG))
		return bad_elf(err, path, "not an ELF file");
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bad_elf(err, path, "libelf is unusable");
	elf = elf_memory(o->image, o->size);
	if (!elf)
		return bad_elf(err, path, elf_errmsg(-1));
	if (!gelf_getehdr(elf, &eh)) {
		r = bad_elf(err, path, "truncated or corrupt ELF header");
		goto out;
	}
	if (gelf_getclass(elf) != ELFCLASS64 || eh.e_machine != EM_BPF) {
		r = bad_elf(err, path, "not a BPF object (ELF machine is not BPF)");
		xctl_err_hint(err, "build it with clang -target bpf");
		goto out;
	}
	if (eh.e_shoff > o->size ||
	    (uint64_t)eh.e_shnum * eh.e_shentsize > o->size - eh.e_shoff ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		r = bad_elf(err, path, "truncated ELF file (section headers missing)");
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) ||
		    !(name = elf_strptr(elf, shstrndx, sh.sh_name))) {
			r = bad_elf(err, path, "truncated or corrupt section table");
			goto out;
		}
		if (sh.sh_type != SHT_NOBITS && !sec_data(o, &sh)) {
			r = bad_elf(err, path, "truncated ELF file (section data missing)");
			goto out;
		}
		if (sh.sh_type == SHT_SYMTAB) {
			s->symtab = sh;
			s->has_symtab = true;
		} else if (!strcmp(name, ".BTF")) {
			s->btf = sh;
			s->has_btf = true;
		} else if ((i = sops_sec_index(name)) >= 0) {
			s->sec[i].sh = sh;
			s->sec[i].idx = elf_ndxscn(scn);
			s->sec[i].present = true;
		} else if (sh.sh_type == SHT_REL && (i = sops_rel_index(name)) >= 0) {
			s->rel[i] = sh;
			s->has_rel[i] = true;
		}
	}
	for (i = 0; i < SOPS_NSECS; i++) {
		if (!s->has_rel[i] || !s->sec[i].present)
			continue;
		if (s->rel[i].sh_info != s->sec[i].idx ||
		    s->rel[i].sh_entsize != sizeof(Elf64_Rel) ||
		    s->rel[i].sh_size % sizeof(Elf64_Rel)) {
			r = bad_elf(err, path, "corrupt struct_ops relocations");
			goto out;
		}
		s->sec[i].rel = s->rel[i];
		s->sec[i].has_rel = true;
	}
	s->elf = elf;	/* the caller ends it */
	return 0;
out:
	elf_end(elf);
	return r;
}

/* Symbol i of the symbol table, checked against the image. */
static bool get_sym(const struct xctl_sops_obj *o, const struct elf_secs *s, size_t i,
		    Elf64_Sym *sym)
{
	const char *data = sec_data(o, &s->symtab);

	if (!s->has_symtab || !data || s->symtab.sh_entsize != sizeof(Elf64_Sym) ||
	    i >= s->symtab.sh_size / sizeof(Elf64_Sym))
		return false;
	memcpy(sym, data + i * sizeof(*sym), sizeof(*sym));
	return true;
}

static const char *sym_name(const struct elf_secs *s, const Elf64_Sym *sym)
{
	return sym->st_name ? elf_strptr(s->elf, s->symtab.sh_link, sym->st_name) : NULL;
}

/*
 * Offset of variable `name` in struct_ops section `sec`: its ELF symbol's
 * value (clang leaves the BTF DATASEC offsets 0; libbpf fixes them up the
 * same way).
 */
static bool sym_offset(const struct xctl_sops_obj *o, const struct elf_secs *s,
		       size_t sec_idx, const char *name, uint32_t *off)
{
	Elf64_Sym sym;
	const char *sn;
	size_t i;

	for (i = 0; get_sym(o, s, i, &sym); i++) {
		if (sym.st_shndx != sec_idx)
			continue;
		sn = sym_name(s, &sym);
		if (sn && !strcmp(sn, name)) {
			if (sym.st_value > UINT32_MAX)
				return false;
			*off = sym.st_value;
			return true;
		}
	}
	return false;
}

/*
 * Member `name` of struct type id as a char array: offset and size, both
 * inside the struct (and the struct, checked by the caller, inside the
 * section). Malformed members are not a name: -EINVAL with err set.
 */
static int find_name_member(const struct btf *btf, uint32_t id, uint32_t *off,
			    uint32_t *size, struct xctl_err *err)
{
	const struct btf_type *t = btf__type_by_id(btf, id), *mt;
	uint32_t nbits, mid;
	uint64_t boff, msz;
	int i, r;

	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_array *a;
		const char *name;

		r = xbtf_member_loc(btf, id, t, i, &boff, &nbits, &mid, &mt, err);
		if (r)
			return r;
		name = btf__name_by_offset(btf, btf_members(t)[i].name_off);
		if (strcmp(name, "name"))
			continue;
		if (nbits || !btf_is_array(mt))
			return 0;
		a = btf_array(mt);
		if (xbtf_skip(btf, a->type, &mt, err) < 0)
			return -EINVAL;
		if (!btf_is_int(mt) || mt->size != 1 || !a->nelems)
			return 0;
		r = xbtf_size(btf, mid, &msz, err);
		if (r)
			return r;
		if (boff / 8 + msz > t->size)	/* xbtf_member_loc checked; kept explicit */
			return -EINVAL;
		*off = boff / 8;
		*size = a->nelems;
		return 1;
	}
	return 0;
}

/* The value of map m in the image (checked in describe_sec). */
static char *map_data(const struct xctl_sops_obj *o, const struct elf_secs *s,
		      const struct sops_obj_map *m)
{
	return (char *)sec_data(o, &s->sec[m->sec].sh) + m->voff;
}

/*
 * A name the kernel shows in /proc and sysctls (tcp_congestion_ops.name):
 * the characters bpf_obj_name_cpy() accepts, and never "." or "..". Also
 * what keeps listings valid UTF-8 and single words.
 */
static bool ops_name_ok(const char *s)
{
	const char *p;

	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* Rename the ops of map m in the image when the caller asks to. */
static int rename_map(const char *path, struct xctl_sops_obj *o, const struct elf_secs *s,
		      struct sops_obj_map *m, const struct xctl_sops_open_opts *opts,
		      struct xctl_err *err)
{
	const char *(*rename)(const char *, const char *, void *) =
		XCTL_OPT(opts, rename, NULL);
	uint32_t noff = 0, nsize = 0;
	const char *newname;
	char *val;
	int r;

	r = find_name_member(o->btf, m->type_id, &noff, &nsize, err);
	if (r < 0) {
		char why[sizeof(err->why)];

		snprintf(why, sizeof(why), "%s", err ? err->why : "");
		return bad_elf(err, path, why);
	}
	if (!r || noff >= m->size || nsize > m->size - noff)
		return 0;
	m->has_ops_name = true;
	val = map_data(o, s, m);
	newname = rename ? rename(m->name, val + noff, XCTL_OPT(opts, rename_ctx, NULL)) : NULL;
	if (newname) {
		if (strlen(newname) >= nsize || !ops_name_ok(newname)) {
			r = xctl_errf(err, EINVAL, "cannot rename %s of %s to '%s'",
				      m->kind, m->name, newname);
			xctl_err_why(err, "a %s name has 1 to %u characters: ASCII "
				     "letters, digits, '_' and '.' (not '.' or '..')",
				     m->kind, nsize - 1);
			return r;
		}
		memset(val + noff, 0, nsize);
		memcpy(val + noff, newname, strlen(newname));
	}
	snprintf(m->ops_name, sizeof(m->ops_name), "%.*s", (int)nsize, val + noff);
	return 0;
}

/*
 * Describe each variable of struct_ops section sec (one per map): kind from
 * its struct type, ops name from the data, renamed in the image on request.
 */
static int describe_sec(const char *path, struct xctl_sops_obj *o, const struct elf_secs *s,
			unsigned int sec, const struct xctl_sops_open_opts *opts,
			struct xctl_err *err)
{
	const struct btf_var_secinfo *vsi;
	const struct btf_type *dsec;
	struct sops_obj_map *tmp;
	int id, i, r;

	if (!sec_data(o, &s->sec[sec].sh))
		return bad_elf(err, path, "a struct_ops section has no data");
	id = btf__find_by_name_kind(o->btf, sops_secs[sec], BTF_KIND_DATASEC);
	dsec = id > 0 ? btf__type_by_id(o->btf, id) : NULL;
	if (!dsec || !btf_vlen(dsec)) {
		r = bad_elf(err, path, "its BTF does not describe a struct_ops section");
		xctl_err_why(err, "its BTF does not describe the %s section", sops_secs[sec]);
		return r;
	}
	tmp = realloc(o->maps, (o->cnt + btf_vlen(dsec)) * sizeof(*o->maps));
	if (!tmp)
		return xctl_errf(err, ENOMEM, "cannot open object %s", path);
	o->maps = tmp;
	vsi = btf_var_secinfos(dsec);
	for (i = 0; i < btf_vlen(dsec); i++, vsi++) {
		struct sops_obj_map *m = &o->maps[o->cnt];
		const struct btf_type *var = btf__type_by_id(o->btf, vsi->type);
		const struct btf_type *st;
		const char *vname, *kname;
		int sid;

		if (!var || !btf_is_var(var))
			continue;
		memset(m, 0, sizeof(*m));
		m->sec = sec;
		m->optional = SOPS_OPTIONAL(sec);
		sid = xbtf_skip(o->btf, var->type, &st, err);
		vname = btf__name_by_offset(o->btf, var->name_off);
		if (sid < 0 || !btf_is_struct(st) || !vname || !*vname ||
		    !(kname = btf__name_by_offset(o->btf, st->name_off)) || !*kname)
			return bad_elf(err, path, "its struct_ops variables are not named structs");
		m->type_id = sid;
		if (!sym_offset(o, s, s->sec[sec].idx, vname, &m->voff) ||
		    m->voff > s->sec[sec].sh.sh_size ||
		    st->size > s->sec[sec].sh.sh_size - m->voff) {
			r = bad_elf(err, path, "its struct_ops BTF does not match the section");
			xctl_err_why(err, "variable %s (%u bytes) is not inside the %s section "
				     "(%llu bytes)", vname, st->size, sops_secs[sec],
				     (unsigned long long)s->sec[sec].sh.sh_size);
			return r;
		}
		m->size = st->size;
		m->data = map_data(o, s, m);
		snprintf(m->name, sizeof(m->name), "%s", vname);
		snprintf(m->kind, sizeof(m->kind), "%s", kname);
		o->cnt++;
		r = rename_map(path, o, s, m, opts, err);
		if (r)
			return r;
	}
	return 0;
}

/* Member of struct type_id at byte offset off, or -1. */
static int member_at(const struct btf *btf, uint32_t type_id, uint32_t off)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	int i;

	for (i = 0; t && i < btf_vlen(t); i++)
		if (btf_member_bit_offset(t, i) == off * 8ULL && !btf_member_bitfield_size(t, i))
			return i;
	return -1;
}

/*
 * Name of the program a relocation points at: its function symbol, or for a
 * section symbol the function at that place of the section.
 */
static const char *reloc_prog(const struct xctl_sops_obj *o, const struct elf_secs *s,
			      const Elf64_Sym *target)
{
	Elf64_Sym sym;
	size_t i;

	if (ELF64_ST_TYPE(target->st_info) == STT_FUNC)
		return sym_name(s, target);
	for (i = 0; get_sym(o, s, i, &sym); i++)
		if (ELF64_ST_TYPE(sym.st_info) == STT_FUNC &&
		    sym.st_shndx == target->st_shndx && sym.st_value == target->st_value)
			return sym_name(s, &sym);
	return NULL;
}

/* Record which function pointers of which map point at which program. */
static int collect_slots(const char *path, struct xctl_sops_obj *o, const struct elf_secs *s,
			 unsigned int sec, struct xctl_err *err)
{
	const struct sops_sec *ss = &s->sec[sec];
	const char *rels = ss->has_rel ? sec_data(o, &ss->rel) : NULL;
	size_t i, j, n = rels ? ss->rel.sh_size / sizeof(Elf64_Rel) : 0;

	for (i = 0; i < n; i++) {
		struct sops_obj_map *m = NULL;
		struct sops_slot *slot;
		const char *prog;
		Elf64_Sym sym;
		Elf64_Rel rel;
		int mi;

		memcpy(&rel, rels + i * sizeof(rel), sizeof(rel));
		for (j = 0; j < o->cnt; j++)
			if (o->maps[j].sec == sec && rel.r_offset >= o->maps[j].voff &&
			    rel.r_offset - o->maps[j].voff < o->maps[j].size)
				m = &o->maps[j];
		if (!m || !get_sym(o, s, ELF64_R_SYM(rel.r_info), &sym) ||
		    (mi = member_at(o->btf, m->type_id, rel.r_offset - m->voff)) < 0 ||
		    !(prog = reloc_prog(o, s, &sym)))
			return bad_elf(err, path, "a struct_ops relocation points nowhere");
		slot = realloc(m->slots, (m->slot_cnt + 1) * sizeof(*slot));
		if (!slot)
			return xctl_errf(err, ENOMEM, "cannot open object %s", path);
		m->slots = slot;
		slot += m->slot_cnt;
		slot->member = mi;
		slot->prog_fd = -1;
		slot->prog = strdup(prog);
		if (!slot->prog)
			return xctl_errf(err, ENOMEM, "cannot open object %s", path);
		m->slot_cnt++;
	}
	return 0;
}

static int describe_maps(const char *path, struct xctl_sops_obj *o, const struct elf_secs *s,
			 const struct xctl_sops_open_opts *opts, struct xctl_err *err)
{
	unsigned int sec;
	int r;

	if (!s->has_btf)
		return bad_elf(err, path, "the object has struct_ops but no BTF");
	o->btf = btf__new(sec_data(o, &s->btf), s->btf.sh_size);
	if (!o->btf) {
		o->btf = NULL;
		return bad_elf(err, path, "its BTF is corrupt");
	}
	for (sec = 0; sec < SOPS_NSECS; sec++) {
		if (!s->sec[sec].present)
			continue;
		r = describe_sec(path, o, s, sec, opts, err) ?:
		    collect_slots(path, o, s, sec, err);
		if (r)
			return r;
	}
	if (!o->cnt)
		return bad_elf(err, path, "its BTF does not describe its struct_ops sections");
	o->sel_cnt = o->cnt;
	return 0;
}

/*
 * Bind each described map to libbpf's map and give it the registration the
 * caller wants: BPF_F_LINK (libbpf 1.2+ sets it itself on `.struct_ops.link`
 * maps, 1.1 never), or none for legacy registration.
 */
static int bind_maps(const char *path, struct xctl_sops_obj *o, struct xctl_err *err)
{
	struct bpf_map *map;
	size_t i, j;

	bpf_object__for_each_map(map, o->obj) {
		uint32_t flags = bpf_map__map_flags(map);

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		for (i = 0; i < o->cnt; i++)
			if (!o->maps[i].map && !strcmp(o->maps[i].name, bpf_map__name(map)))
				break;
		if (i == o->cnt)
			return bad_elf(err, path, "libbpf and BTF disagree on its struct_ops maps");
		o->maps[i].map = map;
		flags = o->legacy ? flags & ~BPF_F_LINK : flags | BPF_F_LINK;
		if (bpf_map__set_map_flags(map, flags))
			return xctl_errf(err, errno, "cannot prepare struct_ops map %s",
					 bpf_map__name(map));
	}
	for (i = 0; i < o->cnt; i++) {
		/* libbpf < 1.2 never sees the maps not selected of a rewritten image */
		if (!o->maps[i].map && !(o->lib_image && !o->maps[i].selected))
			return bad_elf(err, path, "libbpf and BTF disagree on its struct_ops maps");
		for (j = 0; j < o->maps[i].slot_cnt; j++) {
			if (bpf_object__find_program_by_name(o->obj, o->maps[i].slots[j].prog))
				continue;
			return bad_elf(err, path, "a struct_ops map points at a function "
				       "that is not a program");
		}
	}
	return 0;
}

/* Explain an object without struct_ops maps. */
static int check_secs(const char *path, const struct elf_secs *s, struct xctl_err *err)
{
	int r, i;

	for (i = 0; i < SOPS_NSECS; i++)
		if (s->sec[i].present)
			return 0;
	r = xctl_errf(err, ENOENT, "cannot use object %s", path);
	xctl_err_why(err, "it has no struct_ops maps");
	xctl_err_hint(err, "a struct_ops map is a global struct such as "
		      "tcp_congestion_ops in SEC(\"" SOPS_SEC "\") or SEC(\""
		      SOPS_LINK_SEC "\"), or their optional forms SEC(\"?" SOPS_SEC
		      "\") and SEC(\"?" SOPS_LINK_SEC "\")");
	return r;
}

static bool keep_selected(const char *var, void *ctx)
{
	const struct xctl_sops_obj *o = ctx;
	size_t i;

	for (i = 0; i < o->sel_cnt; i++)
		if (!strcmp(o->maps[i].name, var))
			return true;
	return false;
}

/*
 * libbpf < 1.2 reads `.struct_ops` only, < 1.4 no `?` section: it gets a
 * copy of the image with the selected maps in `.struct_ops` and no other
 * struct_ops map (sops_image.c). The original stays what xctl describes
 * and builds values from.
 */
static int legacy_image(struct xctl_sops_obj *o, const struct elf_secs *s,
			struct xctl_err *err)
{
	const struct xctl_libbpf *v = xctl_libbpf();
	bool opt = s->sec[2].present || s->sec[3].present;
	int r;

	if ((!opt || v->reads_sops_opt_sec) && (!s->sec[1].present || v->reads_sops_link_sec))
		return 0;
	o->lib_image = malloc(o->size);
	if (!o->lib_image)
		return xctl_errf(err, ENOMEM, "cannot open object %s", o->path);
	memcpy(o->lib_image, o->image, o->size);
	o->lib_size = o->size;
	r = sops_image_for_legacy(&o->lib_image, &o->lib_size, o->path, keep_selected, o,
				  err);
	return r ?: xbtf_check_object(o->lib_image, o->lib_size, o->path, err);
}

int xctl_sops_obj_open(const char *path, const struct xctl_sops_open_opts *opts,
		       struct xctl_sops_obj **out, struct xctl_err *err)
{
	int (*prepare)(struct bpf_object *, void *, struct xctl_err *) =
		XCTL_OPT(opts, prepare, NULL);
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct elf_secs secs = {};
	struct xctl_sops_obj *o;
	const char *base;
	int r;

	*out = NULL;
	r = XCTL_OPTS_CHECK(opts, xctl_sops_open_opts, err);
	if (r)
		return xctl_ret(r);
	o = calloc(1, sizeof(*o));
	if (!o)
		return xctl_errf(err, ENOMEM, "cannot open object %s", path);
	o->legacy = XCTL_OPT(opts, legacy, false);
	o->path = strdup(path);
	if (!o->path) {
		r = xctl_errf(err, ENOMEM, "cannot open object %s", path);
		goto fail;
	}
	r = read_image(path, o, err) ?: scan_elf(path, o, &secs, err);
	if (r)
		goto fail;
	r = check_secs(path, &secs, err) ?: describe_maps(path, o, &secs, opts, err);
	elf_end(secs.elf);
	secs.elf = NULL;
	if (!r && XCTL_OPT(opts, non_restricted, false))
		r = sops_set_non_restricted(o, err);
	r = r ?: sops_select(o, XCTL_OPT(opts, maps, NULL), XCTL_OPT(opts, map_cnt, 0), err);
	if (!r && XCTL_OPT(opts, need_selected, false))
		r = xctl_sops_obj_check_selected(o, err);
	r = r ?: legacy_image(o, &secs, err);
	if (r)
		goto fail;

	base = strrchr(path, '/');
	oo.object_name = base ? base + 1 : path;
	if (xctl_klog_init(&o->klog, &oo)) {
		r = xctl_errf(err, ENOMEM, "cannot open object %s", path);
		goto fail;
	}
	o->obj = o->lib_image ? bpf_object__open_mem(o->lib_image, o->lib_size, &oo) :
				bpf_object__open_mem(o->image, o->size, &oo);
	if (!o->obj) {
		r = xctl_errf(err, errno ? errno : EINVAL, "cannot open object %s", path);
		o->obj = NULL;
		goto fail;
	}
	r = bind_maps(path, o, err) ?: sops_select_apply(o, err);
	if (!r && prepare)
		r = prepare(o->obj, XCTL_OPT(opts, prepare_ctx, NULL), err);
	if (r)
		goto fail;
	*out = o;
	return 0;
fail:
	xctl_sops_obj_close(o);
	return xctl_ret(r);
}

void xctl_sops_obj_close(struct xctl_sops_obj *o)
{
	size_t i, j;

	if (!o)
		return;
	bpf_object__close(o->obj);
	for (i = 0; i < o->cnt; i++) {
		for (j = 0; j < o->maps[i].slot_cnt; j++)
			free(o->maps[i].slots[j].prog);
		free(o->maps[i].slots);
	}
	btf__free(o->btf);
	xctl_klog_free(&o->klog);
	free(o->lib_image);
	free(o->image);
	free(o->maps);
	free(o->path);
	free(o);
}

const char *xctl_sops_obj_sha256(const struct xctl_sops_obj *o)
{
	return o->sha256;
}

const void *xctl_sops_obj_image(const struct xctl_sops_obj *o, size_t *size)
{
	*size = o->size;
	return o->image;
}

struct bpf_object *xctl_sops_obj_bpf(const struct xctl_sops_obj *o)
{
	return o->obj;
}

size_t xctl_sops_obj_map_cnt(const struct xctl_sops_obj *o)
{
	return o->sel_cnt;
}

size_t xctl_sops_obj_all_map_cnt(const struct xctl_sops_obj *o)
{
	return o->cnt;
}

bool xctl_sops_obj_selected(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->sel_cnt;
}

struct bpf_map *xctl_sops_obj_map(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? o->maps[i].map : NULL;
}

const char *xctl_sops_obj_kind(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? o->maps[i].kind : NULL;
}

const char *xctl_sops_obj_section(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? sops_secs[o->maps[i].sec] : NULL;
}

bool xctl_sops_obj_optional(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt && o->maps[i].optional;
}

const char *xctl_sops_obj_map_name(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? o->maps[i].name : NULL;
}

const char *xctl_sops_obj_ops_name(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt && o->maps[i].has_ops_name ? o->maps[i].ops_name : NULL;
}
