/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a BPF object declares about its maps and programs, honoured by the
 * loaders (module load/reload, xdp attach). Internal to libxctl.
 *
 * - `max_entries MAP=N` sizes maps before load; a map the object leaves
 *   unsized (max_entries 0 where the kernel needs a size) is refused by name.
 * - LIBBPF_PIN_BY_NAME maps are pinned in the loader's own directory
 *   (`own_dir`, e.g. <bpffs>/xctl/modules/NAME/maps) or, to share them on
 *   purpose, in `pin_root`, which must be a directory of the given bpffs:
 *   libbpf's default (/sys/fs/bpf) is never used. A map already pinned
 *   there is reused only if its type, key/value sizes, max_entries, flags
 *   and map_extra match; otherwise the load fails naming the difference
 *   (libbpf 1.1 says only "Invalid argument").
 * - Maps whose contents the kernel drops with the last user reference
 *   (prog_array entries, bpf_timer/bpf_wq fields) are "kept": pinned in
 *   own_dir after load, so they keep working after the loader exits. With
 *   pin_data, .data/.bss maps are kept too (pinned as "globals-data",
 *   "globals-bss", "globals-data-NAME" for .data.NAME) so a
 *   module's runtime globals stay reachable (`module set`).
 *
 * Sequence: objm_prepare() after bpf_object__open, objm_begin() just
 * before bpf_object__load, objm_stage() after it (kept maps pinned at
 * "<name>-new"), then objm_commit() once the program is in service
 * (staged pins renamed over the old generation's, pins of the old
 * generation the object no longer declares removed) or objm_rollback().
 */
#ifndef XCTL_OBJMAPS_H
#define XCTL_OBJMAPS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct bpf_object;
struct bpf_map;
struct xctl_err;
struct xctl_bpffs;

/*
 * bpffs refuses '.' in names; '-' is in no C identifier, so these never
 * clash with a map's name.
 */
#define OBJM_STAGE_SUFFIX "-new"
#define OBJM_DATA_PREFIX "globals-"

struct objm_opts {
	const struct xctl_bpffs *fs;
	const char *own_dir;		/* pins the loader owns (created by begin) */
	const char *pin_root;		/* shared LIBBPF_PIN_BY_NAME dir, or NULL */
	char *const *max_entries;	/* "MAP=N" strings */
	size_t max_entries_cnt;
	bool pin_data;			/* keep .data/.bss pinned (by section name) */
};

enum objm_kind {
	OBJM_DECLARED,	/* LIBBPF_PIN_BY_NAME: pinned (or reused) by libbpf */
	OBJM_KEEP,	/* contents die with the last user reference */
	OBJM_DATA,	/* .data/.bss of a module */
};

struct objm_pin {
	struct bpf_map *map;
	char file[NAME_MAX + 1];	/* pin file name */
	char path[PATH_MAX];
	enum objm_kind kind;
	bool shared;		/* in pin_root */
	bool existed;		/* a pin was there before the load (reused) */
	bool staged;		/* pinned at path + OBJM_STAGE_SUFFIX */
};

struct objm {
	const struct xctl_bpffs *fs;	/* every pin is below fs->root */
	char own_dir[PATH_MAX];
	char pin_root[PATH_MAX];	/* "" when not sharing */
	bool dir_existed;
	struct objm_pin *pins;
	size_t cnt;
};

int objm_prepare(struct objm *m, struct bpf_object *obj, const char *obj_path,
		 const struct objm_opts *o, struct xctl_err *err);
int objm_begin(struct objm *m, struct xctl_err *err);
int objm_stage(struct objm *m, struct xctl_err *err);
int objm_commit(struct objm *m, struct xctl_err *err);
void objm_rollback(struct objm *m);
void objm_free(struct objm *m);

/* [{map, kind, pinned, shared, reused}] of the plan. */
json_t *objm_json(const struct objm *m);
/* Comma-separated names of the maps pinned in pin_root (for a record). */
void objm_shared_names(const struct objm *m, char *buf, size_t len);

/*
 * Remove every pin in dir (an own_dir) and the directory; names removed are
 * appended to `removed` (may be NULL). Never follows symlinks; a missing
 * dir is not an error.
 */
int objm_remove_dir(const char *dir, json_t *removed, struct xctl_err *err);

/* Check that pin_root is an existing directory of fs's bpffs; resolved. */
int objm_check_pin_root(const struct xctl_bpffs *fs, const char *dir,
			char *real, size_t len, struct xctl_err *err);

/* True if a map of this type needs no max_entries from the loader. */
bool objm_size_optional(uint32_t map_type);

/* ---- what the programs of an object need (objmaps_elf.c) ------------- */

struct objm_progs {
	char **needed;		/* programs a map initialiser refers to */
	size_t needed_cnt;
	char **kfunc;		/* programs calling bpf_xdp_metadata_rx_* */
	size_t kfunc_cnt;
	bool kfunc_subprog;	/* a subprogram (.text) calls them */
	bool declares_kfunc;	/* its BTF declares an extern bpf_xdp_metadata_rx_*
				 * (read from the file: libbpf rewrites externs) */
};

/*
 * Read the object's relocations (image: the object file's bytes, path for
 * messages): which programs static map initialisation (`.values = { [0] =
 * &prog }` of a prog_array) refers to, and which programs call the XDP RX
 * metadata kfuncs.
 */
int objm_progs_read(const void *image, size_t size, const char *path,
		    struct objm_progs *p, struct xctl_err *err);
void objm_progs_free(struct objm_progs *p);
bool objm_progs_has(char *const *names, size_t cnt, const char *name);

#endif /* XCTL_OBJMAPS_H */
