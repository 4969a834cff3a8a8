// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What an object's programs need, read from its ELF relocations the way
 * libbpf reads them: a relocation in `.rel.maps` against a program's symbol
 * is a static map initialiser (`.values = { [0] = &prog }` of a prog_array),
 * so that program must be loaded for the map to be created; a relocation in
 * a program's section against an undefined symbol bpf_xdp_metadata_rx_* is
 * a call of an XDP RX metadata kfunc, so the calling program must be loaded
 * bound to the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "objmaps.h"

#define KFUNC_PREFIX "bpf_xdp_metadata_rx_"

static int add_name(char ***arr, size_t *cnt, const char *name)
{
	char **tmp;

	if (objm_progs_has(*arr, *cnt, name))
		return 0;
	tmp = realloc(*arr, (*cnt + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	*arr = tmp;
	tmp[*cnt] = strdup(name);
	if (!tmp[*cnt])
		return -ENOMEM;
	(*cnt)++;
	return 0;
}

bool objm_progs_has(char *const *names, size_t cnt, const char *name)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

void objm_progs_free(struct objm_progs *p)
{
	size_t i;

	for (i = 0; i < p->needed_cnt; i++)
		free(p->needed[i]);
	for (i = 0; i < p->kfunc_cnt; i++)
		free(p->kfunc[i]);
	free(p->needed);
	free(p->kfunc);
	memset(p, 0, sizeof(*p));
}

struct elf_ctx {
	Elf *elf;
	Elf_Data *syms;
	size_t nsyms;
	size_t strtab;		/* section index of the symbol names */
	size_t shstrndx;
};

static bool sym_at(const struct elf_ctx *c, size_t i, GElf_Sym *sym, const char **name)
{
	if (i >= c->nsyms || !gelf_getsym(c->syms, (int)i, sym))
		return false;
	*name = elf_strptr(c->elf, c->strtab, sym->st_name);
	return *name != NULL;
}

/* The function symbol of section shndx that contains offset, or NULL. */
static const char *func_at(const struct elf_ctx *c, size_t shndx, uint64_t off)
{
	const char *name;
	GElf_Sym s;
	size_t i;

	for (i = 0; i < c->nsyms; i++) {
		if (!sym_at(c, i, &s, &name) || s.st_shndx != shndx ||
		    GELF_ST_TYPE(s.st_info) != STT_FUNC)
			continue;
		if (off >= s.st_value && off < s.st_value + s.st_size)
			return name;
	}
	return NULL;
}

/* One SHT_REL section: relocations applied to section `target`. */
static int scan_rel(const struct elf_ctx *c, Elf_Scn *scn, const GElf_Shdr *sh,
		    struct objm_progs *p)
{
	Elf_Scn *tscn = elf_getscn(c->elf, sh->sh_info);
	const char *tname, *sname, *fn;
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Shdr tsh;
	GElf_Rel rel;
	GElf_Sym sym;
	int i, n, r;

	if (!tscn || !gelf_getshdr(tscn, &tsh) || !d || !sh->sh_entsize)
		return 0;
	tname = elf_strptr(c->elf, c->shstrndx, tsh.sh_name);
	if (!tname)
		return 0;
	n = (int)(sh->sh_size / sh->sh_entsize);
	for (i = 0; i < n; i++) {
		if (!gelf_getrel(d, i, &rel) ||
		    !sym_at(c, GELF_R_SYM(rel.r_info), &sym, &sname))
			continue;
		if (!strcmp(tname, ".maps")) {
			/* &prog in a map initialiser: a function of a program section */
			if (GELF_ST_TYPE(sym.st_info) == STT_FUNC && sym.st_shndx != SHN_UNDEF &&
			    (r = add_name(&p->needed, &p->needed_cnt, sname)))
				return r;
			continue;
		}
		if (!(tsh.sh_flags & SHF_EXECINSTR) || sym.st_shndx != SHN_UNDEF ||
		    strncmp(sname, KFUNC_PREFIX, strlen(KFUNC_PREFIX)))
			continue;
		if (!strcmp(tname, ".text")) {
			p->kfunc_subprog = true;
			continue;
		}
		fn = func_at(c, sh->sh_info, rel.r_offset);
		if (fn && (r = add_name(&p->kfunc, &p->kfunc_cnt, fn)))
			return r;
	}
	return 0;
}

/* The .BTF section declares an extern FUNC bpf_xdp_metadata_rx_* (a FUNC's
 * linkage is its vlen). */
static bool btf_declares_kfunc(const struct elf_ctx *c, Elf_Scn *scn)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	const struct btf_type *t;
	struct btf *btf;
	uint32_t i, n;
	bool found = false;

	btf = d && d->d_buf ? btf__new(d->d_buf, d->d_size) : NULL;
	n = btf ? btf__type_cnt(btf) : 0;
	for (i = 1; i < n && !found; i++) {
		t = btf__type_by_id(btf, i);
		found = btf_is_func(t) && btf_vlen(t) == BTF_FUNC_EXTERN &&
			!strncmp(btf__name_by_offset(btf, t->name_off), KFUNC_PREFIX,
				 strlen(KFUNC_PREFIX));
	}
	btf__free(btf);
	(void)c;
	return found;
}

int objm_progs_read(const void *image, size_t size, const char *path,
		    struct objm_progs *p, struct xctl_err *err)
{
	struct elf_ctx c = {};
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;
	int r = 0;

	memset(p, 0, sizeof(*p));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return xctl_errf(err, EINVAL, "cannot read %s: libelf is unusable", path);
	/* libelf only reads an image opened with elf_memory() */
	c.elf = elf_memory((char *)image, size);
	if (!c.elf || elf_getshdrstrndx(c.elf, &c.shstrndx)) {
		r = xctl_errf(err, ENOEXEC, "cannot read object %s", path);
		xctl_err_why(err, "not a readable ELF file");
		goto out;
	}
	while ((scn = elf_nextscn(c.elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(c.elf, c.shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".BTF"))
			p->declares_kfunc = btf_declares_kfunc(&c, scn);
		if (sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		c.syms = elf_getdata(scn, NULL);
		c.nsyms = sh.sh_size / sh.sh_entsize;
		c.strtab = sh.sh_link;
	}
	if (!c.syms)
		goto out;	/* no symbols: nothing refers to anything */
	while (!r && (scn = elf_nextscn(c.elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_REL)
			r = scan_rel(&c, scn, &sh, p);
	if (r)
		r = xctl_errf(err, -r, "cannot read the relocations of %s", path);
out:
	elf_end(c.elf);
	if (r)
		objm_progs_free(p);
	return r;
}
