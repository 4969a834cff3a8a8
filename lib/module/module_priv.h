/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internals shared by lib/module*.c (not installed, not public API). */
#ifndef XCTL_MODULE_PRIV_H
#define XCTL_MODULE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <jansson.h>
#include <linux/bpf.h>
#include "xctl_priv.h"
#include "xctl_module.h"
#include "objmaps.h"

struct bpf_object;
struct bpf_map;
struct btf;

/* ---- parameters (module_params.c) ----------------------------------- */

/* The object's .rodata map (where `const volatile` globals live), or NULL. */
struct bpf_map *mod_rodata_map(struct bpf_object *obj);

/*
 * True if variable type `var_id` (a BTF VAR of a .rodata DATASEC) is a
 * parameter: a global whose type is const volatile (plain const globals are
 * folded into the code and are not).
 */
bool mod_param_is(const struct btf *btf, uint32_t var_id);

/* A global variable (VAR with global linkage) of a data section. */
bool mod_global_is(const struct btf *btf, uint32_t var_id);

/* C text of a type without qualifiers ("__u32", "char[16]"); caller frees. */
char *mod_type_text(const struct btf *btf, uint32_t type_id);

/*
 * mod_params_merge() for parameters (globals false) or for every global of
 * a .data/.bss section (globals true; entries also get "section").
 */
int mod_vars_merge(json_t *arr, const struct btf *btf, uint32_t sec_id,
		   const void *image, size_t size, const char *field, bool globals,
		   struct xctl_err *err);

/* Comma-separated parameter names of the DATASEC (for error hints). */
void mod_param_names(const struct btf *btf, uint32_t sec_id, char *buf,
		     size_t len);

/*
 * Check every "NAME=VALUE" of kv against the DATASEC sec_id of btf (unknown
 * names, types, ranges) and write the values into image (size bytes, the
 * section's initial contents). -EINVAL/-ERANGE/-ENOENT with err filled;
 * image may be partly written on failure (callers discard it).
 */
int mod_params_set(const struct btf *btf, uint32_t sec_id, void *image,
		   size_t size, char *const *kv, size_t n, struct xctl_err *err);

/*
 * Merge the parameters of DATASEC sec_id into arr (array of {name, type,
 * default, value}): for each parameter, find or append the entry by name and
 * set `field` ("default" or "value") to its value in image rendered through
 * xctl_btf_to_json (null when image is NULL). New entries get `type` (C
 * text) and null for the other field.
 */
int mod_params_merge(json_t *arr, const struct btf *btf, uint32_t sec_id,
		     const void *image, size_t size, const char *field,
		     struct xctl_err *err);

/* {"NAME": "VALUE", ...} of kv in order (later duplicates win). */
json_t *mod_params_given(char *const *kv, size_t n);
/* Has the section a parameter named like "NAME" or "NAME=VALUE"? */
bool mod_param_exists(const struct btf *btf, uint32_t sec_id, const char *nv);

/* ---- kernel read-back (module_kern.c) --------------------------------- */

struct mod_prog {
	uint32_t id;
	char member[64];	/* struct_ops member it implements */
};

/*
 * Programs a struct_ops map's value points at (function-pointer members hold
 * program ids). *progs is malloc'd.
 */
int mod_kern_sops_progs(uint32_t map_id, struct mod_prog **progs, size_t *cnt,
			struct xctl_err *err);

/*
 * The loaded .rodata of those programs: its BTF (caller btf__free()s), the
 * DATASEC id and the contents (caller frees). -ENOENT when no program
 * references a .rodata map.
 */
int mod_kern_rodata(const struct mod_prog *progs, size_t cnt, struct btf **btf,
		    uint32_t *sec_id, void **image, size_t *size,
		    struct xctl_err *err);

/* Map ids a program uses (*ids malloc'd). */
int mod_prog_map_ids(uint32_t prog_id, uint32_t **ids, uint32_t *cnt);

/* The one program shape (lib/core/prog.h) and the struct_ops member it implements. */
json_t *mod_kern_prog_json(const struct mod_prog *p, bool stats);

/* Kind ("tcp_congestion_ops") of a struct_ops map from its vmlinux type. */
int mod_kern_sops_kind(uint32_t map_id, char *kind, size_t len,
		       struct xctl_err *err);

/* ---- meta (module_meta.c) -------------------------------------------- */

/* The value of the meta map; its BTF is built at run time to match. */
struct mod_meta {
	char name[64];
	char object[512];
	char sha256[72];
	char params[1024];	/* JSON object {"NAME": "VALUE"} as given */
	uint64_t loaded_at;	/* seconds since the epoch */
	char loaded_at_rfc3339[32];
	uint32_t uid;
	char xctl_version[28];
	char pin_root[256];	/* "" or where LIBBPF_PIN_BY_NAME maps are shared */
	char shared[512];	/* comma-separated names of the maps shared there */
	char struct_ops[256];	/* the struct_ops maps 'map' selected, comma-
				 * separated; "" when the module has them all */
	uint32_t non_restricted;	/* its tcp CAs got TCP_CONG_NON_RESTRICTED */
	/*
	 * "MAP=ID,..." of the struct_ops maps this record describes, so a
	 * reader can tell whether the kernel runs what the record says (a
	 * reload killed between its swaps and its record leaves them apart).
	 */
	char sops_maps[256];
};

/* The record a reload writes before its swaps, renamed to meta after them. */
#define MOD_META_NEW	"meta-new"	/* bpffs refuses new names with a dot */

/* Record the ids of o's struct_ops maps (after load) in m->sops_maps. */
struct xctl_sops_obj;
int mod_meta_set_maps(struct mod_meta *m, const struct xctl_sops_obj *o,
		      struct xctl_err *err);

/*
 * Hex sha256 of a file, read as objects are (xctl_file_read: regular files
 * only, never blocking on a FIFO or device).
 */
int mod_sha256_file(const char *path, char hex[65], struct xctl_err *err);

/* Fill m: name, realpath of obj, its sha256, params, now, uid, version. */
int mod_meta_fill(struct mod_meta *m, const char *name, const char *obj_path,
		  const char *sha256, const json_t *params, struct xctl_err *err);

/* Record pin_root and the names of the maps shared there. */
/* Record which struct_ops maps of o the module registers, and the flag. */
int mod_meta_set_sops(struct mod_meta *m, const struct xctl_sops_obj *o,
		      bool non_restricted, struct xctl_err *err);
int mod_meta_set_pins(struct mod_meta *m, const char *pin_root,
		      const char *shared, struct xctl_err *err);

/*
 * Add the BTF of struct xctl_module_meta (the layout of struct mod_meta) to
 * an empty btf: type 1 is the u32 key, then char, u64, the char arrays and
 * the struct, whose id is returned (or -errno).
 */
int mod_meta_btf(struct btf *btf);

/* Create the BTF-described meta map holding m; returns its fd or -errno. */
int mod_meta_create(const struct mod_meta *m, struct xctl_err *err);


/* The pinned meta map's value rendered through the BTF walker. */
/*
 * Decode a meta record's value (type_id of btf) into a JSON object; the
 * record may come from anyone who can write the bpffs: malformed BTF or
 * values fail with -EINVAL, never crash.
 */
int mod_meta_decode(const struct btf *btf, uint32_t type_id, const void *val,
		    size_t size, const char *pin, json_t **out, struct xctl_err *err);
int mod_meta_read(const struct xctl_bpffs *fs, const char *pin, json_t **out,
		  struct xctl_err *err);

/* ---- a module's directory (module_list.c) ----------------------------- */

/*
 * xctl_sops_list_get(), retried a few times on -EAGAIN: the kernel answers
 * that for a link another process is still creating.
 */
int mod_sops_list(struct xctl_sops_list *inv, const struct xctl_bpffs *fs,
		  struct xctl_err *err);

struct mod_link {
	char map[NAME_MAX + 1];	/* pin name == struct_ops map name */
	int fd;			/* the pinned link, or -1 */
	uint32_t map_id;	/* 0: detached */
	uint32_t link_id;
	bool bad;		/* not a struct_ops link */
};

struct mod_state {
	char name[XCTL_MODULE_NAME_MAX + 1];
	char dir[PATH_MAX];
	int dfd;		/* dir, opened without following links (pintree.c) */
	json_t *meta_new;	/* an interrupted reload's record (meta-new) */
	bool record_new;	/* meta is meta-new: the kernel runs what it says */
	bool inconsistent;	/* the kernel runs maps no record describes */
	bool foreign;		/* it holds a symlink or other non-xctl entry */
	char foreign_name[256];
	bool has_meta;
	bool has_maps;		/* maps/ exists */
	json_t *meta;		/* walker JSON of the meta value, or NULL */
	struct mod_link *links;
	size_t cnt;
};

/* Read <bpffs>/xctl/modules/NAME; -ENOENT "module NAME is not loaded". */
int mod_state_read(const struct xctl_bpffs *fs, const char *name,
		   struct mod_state *s, struct xctl_err *err);
void mod_state_free(struct mod_state *s);
/* "foreign", "incomplete", "inconsistent", "detached" or "loaded". */
const char *mod_state_name(const struct mod_state *s);
/* A meta field (new reference; null when absent). */
/* The netns's default tcp CA (net.ipv4.tcp_congestion_control), "" if none. */
void mod_default_ca(char *buf, size_t len);
/* A tcp CA that is ca (this netns's default): sockets created here use it. */
bool mod_is_default_ca(const struct xctl_sops_map *m, const char *ca);
/* The inventory's struct_ops map with id (0 or absent: NULL). */
const struct xctl_sops_map *mod_inv_find(const struct xctl_sops_list *inv, uint32_t id);
json_t *mod_meta_field(const struct mod_state *s, const char *key);
/* [{map, kind, ops_name, map_id, link_id, users}] and the users' sum. */
json_t *mod_state_sops_json(const struct mod_state *s,
			    const struct xctl_sops_list *inv, json_int_t *users);
/*
 * Merge the parameter values read back from the kernel into arr (see
 * mod_params_merge(), field "value"); -ENOENT when they cannot be read.
 */
int mod_state_params(const struct mod_state *s, json_t *arr);

/* ---- the maps and globals of a module (module_maps.c) ----------------- */

/* [{name, type, key_type, value_type, ..., pinning, pinned, id: null}] */
json_t *mod_obj_maps_json(struct bpf_object *obj);
/* The runtime globals of an object: their initial values as "default". */
int mod_obj_globals(struct bpf_object *obj, json_t *arr, struct xctl_err *err);

/* A map of a loaded module as the kernel has it. */
struct mod_kmap {
	int fd;
	struct bpf_map_info info;
	char pinned[PATH_MAX];	/* "" when not pinned */
};

/*
 * The maps of a loaded module: those its programs use and those pinned in
 * its maps/ and pin_root; struct_ops maps excluded. *maps malloc'd.
 */
int mod_kern_maps(const struct mod_state *s, struct mod_kmap **maps, size_t *cnt,
		  struct xctl_err *err);
void mod_kern_maps_free(struct mod_kmap *maps, size_t cnt);
/* JSON of the maps, with "pinning" from obj when it is the loaded object. */
json_t *mod_kern_maps_json(const struct mod_kmap *maps, size_t cnt,
			   struct bpf_object *obj);
/* Merge the live values of the runtime globals into arr ("value"). */
int mod_kern_globals(const struct mod_kmap *maps, size_t cnt, json_t *arr,
		     struct xctl_err *err);

/* ---- module.c ------------------------------------------------------------- */

/* <bpffs>/xctl/modules/NAME (NAME checked). */
int mod_dir(const struct xctl_bpffs *fs, const char *name, char *out,
	    size_t len, struct xctl_err *err);

/* out = dir/name; false if it does not fit (paths below bpffs are short). */
bool mod_path(char *out, size_t len, const char *dir, const char *name);

/*
 * The ops name the "ops_name [MAP=]NAME" arguments give map (the last one
 * naming it or every map), or NULL: the object's own.
 */
const char *mod_rename_of(const struct xctl_sops_rename *renames, size_t cnt,
			  const char *map);

/* Fault-injection points of module load and reload: test_hooks.h. */
#include "test_hooks.h"

#endif /* XCTL_MODULE_PRIV_H */
