// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops objects: open, check, rename, load and write the map values.
 *
 * libbpf 1.1 knows only the `.struct_ops` section and registers maps the
 * legacy way. Link-based registration (kernel 6.4+) needs BPF_F_LINK on the
 * map before it is created; after the load, writing the value (program fds
 * in the function-pointer slots) leaves the map READY but unregistered, and
 * a BPF_STRUCT_OPS link registers it (sops_link.c).
 *
 * The object file is read into memory and checked with libelf first, so a
 * missing, non-ELF, non-BPF or truncated file gets a precise error instead of
 * libbpf's generic one, and so ops names can be rewritten in the image
 * before libbpf copies the struct_ops data out of it (libbpf 1.1 has no API
 * to edit a struct_ops map's initial value).
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

#define SOPS_SEC	".struct_ops"
#define SOPS_LINK_SEC	".struct_ops.link"

struct sops_obj_map {
	struct bpf_map *map;
	char name[64];		/* map (variable) name */
	char kind[64];
	char ops_name[64];
	bool has_ops_name;
};

struct xctl_sops_obj {
	struct bpf_object *obj;
	void *image;		/* the file; libbpf 1.1 parses it in place */
	size_t size;
	char sha256[65];	/* of exactly these bytes */
	struct sops_obj_map *maps;
	size_t cnt;
	bool legacy;
	bool loaded;
};

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

struct elf_secs {
	Elf *elf;
	GElf_Shdr sops, btf, symtab;
	size_t sops_idx;
	bool has_sops, has_btf, has_link_sec, has_symtab;
};

static int scan_elf(const char *path, struct xctl_sops_obj *o, struct elf_secs *s,
		    struct xctl_err *err)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t shstrndx;
	Elf *elf;
	int r = 0;

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
		} else if (!strcmp(name, SOPS_SEC)) {
			s->sops = sh;
			s->sops_idx = elf_ndxscn(scn);
			s->has_sops = true;
		} else if (!strcmp(name, ".BTF")) {
			s->btf = sh;
			s->has_btf = true;
		} else if (!strcmp(name, SOPS_LINK_SEC)) {
			s->has_link_sec = true;
		}
	}
	s->elf = elf;	/* the caller ends it */
	return 0;
out:
	elf_end(elf);
	return r;
}

/*
 * Offset of map `name` in the .struct_ops section: the ELF symbol's value.
 * (clang leaves the BTF DATASEC offsets 0; libbpf fixes them up the same way.)
 */
static bool sym_offset(const struct xctl_sops_obj *o, const struct elf_secs *s,
		       const char *name, uint32_t *off)
{
	const char *data = sec_data(o, &s->symtab);
	size_t i, n;

	if (!s->has_symtab || !data || s->symtab.sh_entsize != sizeof(Elf64_Sym))
		return false;
	n = s->symtab.sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < n; i++) {
		Elf64_Sym sym;
		const char *sn;

		memcpy(&sym, data + i * sizeof(sym), sizeof(sym));
		if (sym.st_shndx != s->sops_idx || !sym.st_name)
			continue;
		sn = elf_strptr(s->elf, s->symtab.sh_link, sym.st_name);
		if (sn && !strcmp(sn, name) && sym.st_value <= UINT32_MAX) {
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

/*
 * Describe each variable of the .struct_ops DATASEC (one per map): kind from
 * its struct type, ops name from the data, renamed in the image on request.
 */
static int describe_maps(const char *path, struct xctl_sops_obj *o,
			 const struct elf_secs *s,
			 const struct xctl_sops_open_opts *opts, struct xctl_err *err)
{
	const char *(*rename)(const char *, const char *, void *) =
		XCTL_OPT(opts, rename, NULL);
	void *rename_ctx = XCTL_OPT(opts, rename_ctx, NULL);
	char *data = sec_data(o, &s->sops);
	const struct btf_var_secinfo *vsi;
	const struct btf_type *sec;
	struct btf *btf;
	int id, i, r = 0;

	if (!s->has_btf)
		return bad_elf(err, path, "the object has struct_ops but no BTF");
	if (!data)
		return bad_elf(err, path, "its " SOPS_SEC " section has no data");
	/* xbtf_check_object() has checked this BTF as a whole already. */
	btf = btf__new(sec_data(o, &s->btf), s->btf.sh_size);
	if (!btf)
		return bad_elf(err, path, "its BTF is corrupt");
	id = btf__find_by_name_kind(btf, SOPS_SEC, BTF_KIND_DATASEC);
	sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if (!sec || !btf_vlen(sec)) {
		r = bad_elf(err, path, "its BTF does not describe the " SOPS_SEC " section");
		goto out;
	}
	o->maps = calloc(btf_vlen(sec), sizeof(*o->maps));
	if (!o->maps) {
		r = xctl_errf(err, ENOMEM, "cannot open object %s", path);
		goto out;
	}
	vsi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vsi++) {
		struct sops_obj_map *m = &o->maps[o->cnt];
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		const struct btf_type *st;
		uint32_t noff = 0, nsize = 0, voff;
		const char *newname, *vname, *kname;
		int sid;
		char *val;

		if (!var || !btf_is_var(var))
			continue;
		sid = xbtf_skip(btf, var->type, &st, err);
		vname = btf__name_by_offset(btf, var->name_off);
		if (sid < 0 || !btf_is_struct(st) || !vname || !*vname ||
		    !(kname = btf__name_by_offset(btf, st->name_off)) || !*kname) {
			r = bad_elf(err, path, "its " SOPS_SEC " variables are not named structs");
			goto out;
		}
		if (!sym_offset(o, s, vname, &voff) ||
		    voff > s->sops.sh_size || st->size > s->sops.sh_size - voff) {
			r = bad_elf(err, path, "its struct_ops BTF does not match the section");
			xctl_err_why(err, "variable %s (%u bytes) is not inside the "
				     SOPS_SEC " section (%llu bytes)", vname, st->size,
				     (unsigned long long)s->sops.sh_size);
			goto out;
		}
		snprintf(m->name, sizeof(m->name), "%s", vname);
		snprintf(m->kind, sizeof(m->kind), "%s", kname);
		o->cnt++;
		r = find_name_member(btf, sid, &noff, &nsize, err);
		if (r < 0) {
			char why[sizeof(err->why)];

			snprintf(why, sizeof(why), "%s", err ? err->why : "");
			r = bad_elf(err, path, why);
			goto out;
		}
		if (!r)
			continue;
		r = 0;
		m->has_ops_name = true;
		val = data + voff;
		newname = rename ? rename(m->name, val + noff, rename_ctx) : NULL;
		if (newname) {
			if (strlen(newname) >= nsize || !*newname) {
				r = xctl_errf(err, EINVAL, "cannot rename %s of %s to '%s'",
					      m->kind, m->name, newname);
				xctl_err_why(err, "a %s name has 1 to %u characters", m->kind,
					     nsize - 1);
				goto out;
			}
			memset(val + noff, 0, nsize);
			memcpy(val + noff, newname, strlen(newname));
		}
		snprintf(m->ops_name, sizeof(m->ops_name), "%.*s", (int)nsize, val + noff);
	}
	if (!o->cnt)
		r = bad_elf(err, path, "its BTF does not describe the " SOPS_SEC " section");
out:
	btf__free(btf);
	return r;
}

/* Bind each described map to libbpf's map and set BPF_F_LINK on it. */
static int bind_maps(const char *path, struct xctl_sops_obj *o, struct xctl_err *err)
{
	struct bpf_map *map;
	size_t i;

	bpf_object__for_each_map(map, o->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		for (i = 0; i < o->cnt; i++)
			if (!o->maps[i].map && !strcmp(o->maps[i].name, bpf_map__name(map)))
				break;
		if (i == o->cnt)
			return bad_elf(err, path, "libbpf and BTF disagree on its struct_ops maps");
		o->maps[i].map = map;
		if (!o->legacy &&
		    bpf_map__set_map_flags(map, bpf_map__map_flags(map) | BPF_F_LINK))
			return xctl_errf(err, errno, "cannot prepare struct_ops map %s",
					 bpf_map__name(map));
	}
	for (i = 0; i < o->cnt; i++)
		if (!o->maps[i].map)
			return bad_elf(err, path, "libbpf and BTF disagree on its struct_ops maps");
	return 0;
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
	char *log;
	int r;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return xctl_errf(err, ENOMEM, "cannot open object %s", path);
	o->legacy = XCTL_OPT(opts, legacy, false);
	r = read_image(path, o, err) ?: scan_elf(path, o, &secs, err);
	if (r)
		goto fail;
	if (!secs.has_sops) {
		elf_end(secs.elf);
		if (secs.has_link_sec) {
			r = xctl_errf(err, EOPNOTSUPP, "cannot open object %s", path);
			xctl_err_why(err, "its struct_ops maps are in the " SOPS_LINK_SEC
				     " section, which libbpf %s cannot read",
				     libbpf_version_string());
			xctl_err_hint(err, "rebuild it with SEC(\"" SOPS_SEC "\"); xctl "
				      "registers .struct_ops maps through links itself");
		} else {
			r = xctl_errf(err, ENOENT, "cannot use object %s", path);
			xctl_err_why(err, "it has no struct_ops maps");
			xctl_err_hint(err, "a struct_ops map is a global struct such as "
				      "tcp_congestion_ops in SEC(\"" SOPS_SEC "\")");
		}
		goto fail;
	}
	r = describe_maps(path, o, &secs, opts, err);
	elf_end(secs.elf);
	secs.elf = NULL;
	if (r)
		goto fail;

	base = strrchr(path, '/');
	oo.object_name = base ? base + 1 : path;
	xctl_libbpf_log_clear();
	o->obj = bpf_object__open_mem(o->image, o->size, &oo);
	if (!o->obj) {
		r = xctl_errf(err, errno ? errno : EINVAL, "cannot open object %s", path);
		log = xctl_libbpf_log_take();
		xctl_err_log(err, log);
		free(log);
		o->obj = NULL;
		goto fail;
	}
	r = bind_maps(path, o, err);
	if (!r && prepare)
		r = prepare(o->obj, XCTL_OPT(opts, prepare_ctx, NULL), err);
	if (r)
		goto fail;
	*out = o;
	return 0;
fail:
	xctl_sops_obj_close(o);
	return r;
}

/* Legacy maps registered by a failed load are unregistered again. */
static void unregister_legacy(struct xctl_sops_obj *o, size_t n)
{
	uint32_t zero = 0;

	while (n-- > 0)
		bpf_map_delete_elem(bpf_map__fd(o->maps[n].map), &zero);
}

static void load_fail_why(struct xctl_err *err, int errnum)
{
	if (errnum == EPERM)
		xctl_err_hint(err, "loading struct_ops needs CAP_BPF and CAP_SYS_ADMIN "
			      "(run as root)");
	else if (errnum == EACCES) {
		xctl_err_why(err, "the verifier refused a program");
		xctl_err_hint(err, "its log says why: run with -d");
	}
}

/* Every map's kind must be a struct_ops type of the running kernel. */
static int check_kinds(const struct xctl_sops_obj *o, struct xctl_err *err)
{
	char tname[128];
	struct btf *btf;
	size_t i;
	int r;

	btf = xctl_kernel_btf(err);
	if (!btf)
		return -ENOENT;
	for (i = 0; i < o->cnt; i++) {
		snprintf(tname, sizeof(tname), "bpf_struct_ops_%s", o->maps[i].kind);
		if (btf__find_by_name_kind(btf, tname, BTF_KIND_STRUCT) > 0)
			continue;
		r = xctl_errf(err, EOPNOTSUPP, "cannot load struct_ops %s", o->maps[i].name);
		xctl_err_why(err, "this kernel has no struct_ops type %s", o->maps[i].kind);
		xctl_err_hint(err, "the kernel's struct_ops types are the "
			      "struct bpf_struct_ops_* of /sys/kernel/btf/vmlinux");
		return r;
	}
	return 0;
}

int xctl_sops_obj_load(struct xctl_sops_obj *o, struct xctl_err *err)
{
	const char *name = bpf_object__name(o->obj);
	char *log;
	size_t i;
	int r;

	r = check_kinds(o, err);
	if (r)
		return r;
	xctl_libbpf_log_clear();
	if (bpf_object__load(o->obj)) {
		r = xctl_errf(err, errno, "cannot load object %s", name);
		load_fail_why(err, -r);
		log = xctl_libbpf_log_take();
		xctl_err_log(err, log);
		free(log);
		return r;
	}
	o->loaded = true;
	/*
	 * libbpf's attach fills its private copy of the value with the program
	 * fds and writes it (BPF_MAP_UPDATE_ELEM). For BPF_F_LINK maps that
	 * only makes the map READY; for legacy maps it registers them. The
	 * returned link is a libbpf stand-in holding the map fd: it is dropped
	 * without detaching, so the map stays as written.
	 */
	for (i = 0; i < o->cnt; i++) {
		struct bpf_link *link = bpf_map__attach_struct_ops(o->maps[i].map);

		if (!link) {
			r = xctl_errf(err, errno, "cannot %s struct_ops %s",
				      o->legacy ? "register" : "initialise", o->maps[i].name);
			sops_register_why(err, -r, o->maps[i].kind, o->maps[i].ops_name);
			if (o->legacy)
				unregister_legacy(o, i);
			return r;
		}
		bpf_link__disconnect(link);
		bpf_link__destroy(link);
	}
	return 0;
}

void xctl_sops_obj_close(struct xctl_sops_obj *o)
{
	if (!o)
		return;
	bpf_object__close(o->obj);
	free(o->image);
	free(o->maps);
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
	return o->cnt;
}

struct bpf_map *xctl_sops_obj_map(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? o->maps[i].map : NULL;
}

const char *xctl_sops_obj_kind(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt ? o->maps[i].kind : NULL;
}

const char *xctl_sops_obj_ops_name(const struct xctl_sops_obj *o, size_t i)
{
	return i < o->cnt && o->maps[i].has_ops_name ? o->maps[i].ops_name : NULL;
}
