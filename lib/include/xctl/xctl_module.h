/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Modules: insmod/lsmod/modinfo/rmmod for struct_ops objects (DESIGN.md §5).
 *
 * A module is a struct_ops object whose maps are registered through links
 * pinned in bpffs:
 *
 *   <bpffs>/xctl/modules/<NAME>/
 *       <map name>   one pinned struct_ops link per struct_ops map
 *       maps/        maps the object declares LIBBPF_PIN_BY_NAME (unless
 *                    shared through pin_root), maps whose contents die
 *                    with their last user reference (prog_array, timers),
 *                    and the .data/.bss maps (pinned as ".data", ".bss":
 *                    the runtime globals `module set` writes)
 *       meta         pinned BTF-described array map (one entry): module
 *                    name, object path and sha256, parameters, load time,
 *                    loader uid, xctl version, pin_root and the maps shared
 *                    there; written last, so its presence marks a complete
 *                    load
 *
 * The registration lives exactly as long as the pinned links, so a load that
 * fails (or is killed) leaves nothing registered, or a directory without
 * `meta` that list reports as incomplete and unload removes.
 */
#ifndef XCTL_MODULE_H
#define XCTL_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "xctl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xctl_bpffs;
struct xctl_sops_rename;

#define XCTL_MODULE_NAME_MAX	48
#define XCTL_MODULE_SUBDIR	"modules"
#define XCTL_MODULE_META	"meta"
#define XCTL_MODULE_MAPS	"maps"

/* NAME matches [A-Za-z0-9_.-]{1,48} and does not start with '.'; -EINVAL. */
XCTL_API int xctl_module_name_check(const char *name, struct xctl_err *err);
/* Object basename without ".bpf.o" / ".o", checked as a module name. */
XCTL_API int xctl_module_default_name(const char *obj_path, char *out, size_t len,
				      struct xctl_err *err);

struct xctl_module_load_opts {
	size_t sz;
	const char *name;		/* NULL: xctl_module_default_name() */
	char *const *params;		/* "NAME=VALUE" strings */
	size_t param_cnt;
	/*
	 * New ops names (e.g. a unique tcp CA name) per map, or for every map
	 * (map NULL). reload keeps each map's current ops name by default, as
	 * the kernel requires for tcp_congestion_ops.
	 */
	const struct xctl_sops_rename *renames;
	size_t rename_cnt;
	/*
	 * LIBBPF_PIN_BY_NAME maps go to this directory (on the bpffs given,
	 * existing) instead of the module's maps/, to be shared with other
	 * objects; unload leaves them. reload keeps the module's pin_root
	 * when NULL.
	 */
	const char *pin_root;
	/* "MAP=N": max_entries of maps (required for maps declared unsized) */
	char *const *max_entries;
	size_t max_entries_cnt;
	/*
	 * Register only these struct_ops maps (map_cnt > 0); the others are
	 * not created and programs only they use are not loaded. reload
	 * selects the module's current maps by default.
	 */
	const char *const *maps;
	size_t map_cnt;
	/*
	 * TCP_CONG_NON_RESTRICTED in every tcp_congestion_ops value, so any
	 * network namespace may make the CA its default. reload keeps it when
	 * the module's CAs have it.
	 */
	bool non_restricted;
	/*
	 * reload: parameters not in params keep the module's current values
	 * (what load and earlier reloads were given); true starts from the new
	 * object's defaults instead.
	 */
	bool defaults;
};
#define xctl_module_load_opts__last_field defaults

/*
 * Load OBJ, register every struct_ops map through a link pinned under the
 * module directory, then write meta. All or nothing: on failure everything
 * is unpinned and closed (the kernel unregisters) and the directory removed.
 * -EEXIST when NAME is loaded or being loaded. The verifier log of a load
 * failure is attached to err.
 */
XCTL_API int xctl_module_load(const struct xctl_bpffs *fs, const char *obj_path,
			      const struct xctl_module_load_opts *opts,
			      struct xctl_err *err);

/*
 * Replace the implementation of loaded module NAME with OBJ: same struct_ops
 * map names and kinds required; each link is swapped with BPF_LINK_UPDATE +
 * BPF_F_REPLACE, swaps already done are reverted when one fails, and meta is
 * rewritten last. opts->name is ignored. Parameters not given keep their
 * current values unless opts->defaults; a kept parameter the new object does
 * not have is dropped.
 */
XCTL_API int xctl_module_reload(const struct xctl_bpffs *fs, const char *name,
				const char *obj_path,
				const struct xctl_module_load_opts *opts,
				struct xctl_err *err);

struct xctl_module_unload_opts {
	size_t sz;
	bool force;			/* unload even while in use */
	/*
	 * Out (may be NULL): on success a new reference to {name, unloaded,
	 * maps_removed: [pins removed from maps/], maps_shared: [{map,
	 * pinned}] (pins in the module's pin_root, left for the objects
	 * sharing them)}.
	 */
	json_t **report;
};
#define xctl_module_unload_opts__last_field report

/*
 * Detach the links (where the kernel supports it), remove the pins and the
 * directory. -EBUSY (err says what uses it) while any struct_ops of the
 * module has users beyond its links, or one of its tcp CAs is the current
 * netns's default, unless force. -ENOENT for an unknown module. Incomplete
 * modules are removed.
 */
XCTL_API int xctl_module_unload(const struct xctl_bpffs *fs, const char *name,
				const struct xctl_module_unload_opts *opts,
				struct xctl_err *err);

/*
 * Compare loaded module opts->name (default: OBJ's) with what loading
 * obj_path with opts would give (apply's question): *match is
 * XCTL_MATCH_ABSENT when it is not loaded; SAME when its object sha256,
 * parameters (as given), struct_ops maps and their ops names are the
 * declared ones; CHANGED when only the object or parameters differ
 * (xctl_module_reload() replaces it in place); REPLACE when its maps or ops
 * names differ or its load is incomplete (unload, then load). why (len
 * bytes) says what differs. Fails when obj_path cannot be read.
 */
enum xctl_match {
	XCTL_MATCH_ABSENT,		/* nothing of xctl's there: load, attach, set up */
	XCTL_MATCH_SAME,		/* as declared: leave it alone */
	XCTL_MATCH_CHANGED,		/* differs; can be replaced in place */
	XCTL_MATCH_REPLACE,		/* differs; must be removed and redone */
};
XCTL_API int xctl_module_compare(const struct xctl_bpffs *fs, const char *obj_path,
				 const struct xctl_module_load_opts *opts,
				 enum xctl_match *match, char *why, size_t len,
				 struct xctl_err *err);

/*
 * Write runtime globals (.data/.bss variables) of loaded module NAME, the
 * equivalent of /sys/module/NAME/parameters/: each "VAR=VALUE" (VAR may
 * name a member, "VAR.field") is parsed and range-checked against the
 * variable's BTF as parameters are. All or nothing: every assignment is
 * checked before any map is written, and each map is written with one
 * update of its whole value. A `const volatile` parameter is refused
 * (-EPERM, hint: reload); an unknown name is -ENOENT listing the valid ones.
 * *report: {name, set: {VAR: new value}}.
 */
XCTL_API int xctl_module_set(const struct xctl_bpffs *fs, const char *name,
			     char *const *kv, size_t n, json_t **report,
			     struct xctl_err *err);

/* True if <bpffs>/xctl/modules/NAME exists (complete or not). */
XCTL_API bool xctl_module_exists(const struct xctl_bpffs *fs, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* XCTL_MODULE_H */
