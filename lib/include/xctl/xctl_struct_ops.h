/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * struct_ops: opening and loading struct_ops objects for link-based
 * registration (libbpf 1.1 cannot: see DESIGN.md §2), registering through
 * links, and the host-wide inventory of struct_ops maps and links.
 *
 * The object primitives are shared by `xctl struct_ops register` and by
 * modules (`xctl module load/reload`), so both register the same way.
 */
#ifndef XCTL_STRUCT_OPS_H
#define XCTL_STRUCT_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xctl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;
struct bpf_map;
struct xctl_bpffs;

/* struct_ops map value states (kernel/bpf/bpf_struct_ops.c) */
enum xctl_sops_state {
	XCTL_SOPS_STATE_INIT = 0,
	XCTL_SOPS_STATE_INUSE = 1,
	XCTL_SOPS_STATE_TOBEFREE = 2,
	XCTL_SOPS_STATE_READY = 3,
};

/* ---- struct_ops objects -------------------------------------------------- */

struct xctl_sops_obj;

struct xctl_sops_open_opts {
	size_t sz;
	/* Legacy registration (no BPF_F_LINK): kernels before 6.4. */
	bool legacy;
	/*
	 * Called after the object is opened and before it is loaded, e.g. to
	 * set `const volatile` parameters in .rodata. Return 0 or -errno with
	 * err filled.
	 */
	int (*prepare)(struct bpf_object *obj, void *ctx, struct xctl_err *err);
	void *prepare_ctx;
	/*
	 * Rename ops before they are loaded: called once per struct_ops map
	 * whose kind has a char-array `name` member (tcp_congestion_ops), with
	 * the map's name and its current ops name; return the new ops name
	 * (e.g. a unique tcp CA name), or NULL to keep it. The name is written
	 * into the object image before libbpf reads it, as libbpf 1.1 has no
	 * API to edit a struct_ops map's initial value.
	 */
	const char *(*rename)(const char *map_name, const char *ops_name, void *ctx);
	void *rename_ctx;
	/*
	 * Register only these maps (map_cnt > 0), optional ones (in
	 * `?.struct_ops` or `?.struct_ops.link`) included: the others are not
	 * created and struct_ops programs only they use are not loaded. A name
	 * the object lacks is -ENOENT. Without: every map that is not optional,
	 * as libbpf creates by default.
	 */
	const char *const *maps;
	size_t map_cnt;
	/*
	 * Set TCP_CONG_NON_RESTRICTED in .flags of every tcp_congestion_ops
	 * value, so any network namespace may make the CA its default.
	 */
	bool non_restricted;
	/*
	 * Fail as xctl_sops_obj_check_selected() does when no map is
	 * selected, before libbpf reads the object (for callers that load).
	 */
	bool need_selected;
};
#define xctl_sops_open_opts__last_field need_selected

/*
 * Open an object file with struct_ops maps in `.struct_ops`,
 * `.struct_ops.link`, `?.struct_ops` or `?.struct_ops.link` (any of them),
 * on every libbpf (for libbpf < 1.2 the image libbpf reads is rewritten in
 * memory first: it sees the selected maps only). Fails with a clear message
 * for a missing, non-ELF or truncated file, or an object without struct_ops
 * maps. An object whose maps are all optional opens with none selected;
 * loading it then fails (xctl_sops_obj_check_selected()).
 */
XCTL_API int xctl_sops_obj_open(const char *path, const struct xctl_sops_open_opts *opts,
				struct xctl_sops_obj **out, struct xctl_err *err);
/*
 * Load programs and maps, and write the value of every struct_ops map a
 * load registers (program fds in the function-pointer slots; xctl builds
 * the value itself on every libbpf). For link-based maps this leaves them
 * READY and unregistered; for legacy maps this registers them. On failure
 * err says why the kernel refused (the verifier's verdict, the members the
 * kernel requires that are unset, a member it does not support) and holds
 * libbpf's log (err->log).
 */
XCTL_API int xctl_sops_obj_load(struct xctl_sops_obj *o, struct xctl_err *err);
/*
 * 0 when a load of o registers some map; else -ENOENT with err naming the
 * object's optional maps and how to select them ('map NAME'). Loading
 * checks it too; commands check it before they create anything
 * (xctl_sops_open_opts.need_selected).
 */
XCTL_API int xctl_sops_obj_check_selected(const struct xctl_sops_obj *o,
					  struct xctl_err *err);
XCTL_API void xctl_sops_obj_close(struct xctl_sops_obj *o);
/*
 * Register the i-th (selected) map of a loaded object through a new link
 * (xctl_sops_link_create); errors name the map and the object file.
 */
XCTL_API int xctl_sops_obj_link_create(const struct xctl_sops_obj *o, size_t i,
				       struct xctl_err *err);

XCTL_API struct bpf_object *xctl_sops_obj_bpf(const struct xctl_sops_obj *o);
/*
 * The object file as read (once, from one fd) and checked: its bytes and
 * their sha256 (lower-case hex), which is what was opened and is loaded.
 */
XCTL_API const char *xctl_sops_obj_sha256(const struct xctl_sops_obj *o);
XCTL_API const void *xctl_sops_obj_image(const struct xctl_sops_obj *o, size_t *size);
/* The maps a load registers (the non-optional ones unless opts->maps selects). */
XCTL_API size_t xctl_sops_obj_map_cnt(const struct xctl_sops_obj *o);
/*
 * Every struct_ops map of the object: the registered ones (i below
 * xctl_sops_obj_map_cnt()) first, then those left out. The accessors below
 * take any i below this count.
 */
XCTL_API size_t xctl_sops_obj_all_map_cnt(const struct xctl_sops_obj *o);
/* The i-th map is registered by a load (selected). */
XCTL_API bool xctl_sops_obj_selected(const struct xctl_sops_obj *o, size_t i);
/*
 * .flags of the i-th map's value (e.g. TCP_CONG_NON_RESTRICTED) as the
 * load would write it; false when its kind has no flags member.
 */
XCTL_API bool xctl_sops_obj_flags(const struct xctl_sops_obj *o, size_t i,
				  uint32_t *flags);
/*
 * Members the kernel requires of the i-th map's kind that its value leaves
 * unset ("ssthresh, cong_avoid or cong_control"), for the kinds whose rules
 * xctl knows (tcp_congestion_ops); false when none are.
 */
XCTL_API bool xctl_sops_obj_unset_required(const struct xctl_sops_obj *o, size_t i,
					   char *buf, size_t len);
/*
 * The section of the object file the i-th map is in: ".struct_ops",
 * ".struct_ops.link", "?.struct_ops" or "?.struct_ops.link".
 */
XCTL_API const char *xctl_sops_obj_section(const struct xctl_sops_obj *o, size_t i);
/* The i-th map is optional (a `?` section): registered only when selected. */
XCTL_API bool xctl_sops_obj_optional(const struct xctl_sops_obj *o, size_t i);
/*
 * The i-th struct_ops map as libbpf has it; NULL for a map that is not
 * selected when libbpf < 1.2 never sees it (an optional one).
 */
XCTL_API struct bpf_map *xctl_sops_obj_map(const struct xctl_sops_obj *o, size_t i);
/* The i-th map's name (its variable's), whether or not libbpf has it. */
XCTL_API const char *xctl_sops_obj_map_name(const struct xctl_sops_obj *o, size_t i);
/* "tcp_congestion_ops" for the i-th map. */
XCTL_API const char *xctl_sops_obj_kind(const struct xctl_sops_obj *o, size_t i);
/* The value's .name (e.g. the tcp CA name) or NULL when the kind has none. */
XCTL_API const char *xctl_sops_obj_ops_name(const struct xctl_sops_obj *o, size_t i);

/* ---- links ------------------------------------------------------------------- */

/* Register a READY link-based map: returns the new link fd or -errno. */
XCTL_API int xctl_sops_link_create(int map_fd, struct xctl_err *err);
/* Swap a link's map atomically (BPF_LINK_UPDATE + BPF_F_REPLACE old_map_fd). */
XCTL_API int xctl_sops_link_update(int link_fd, int new_map_fd, int old_map_fd,
				   struct xctl_err *err);
/* Unregister now (BPF_LINK_DETACH, 6.11+); -EOPNOTSUPP when unsupported. */
XCTL_API int xctl_sops_link_detach(int link_fd, struct xctl_err *err);
/* Map id a struct_ops link points at (0 once detached), or -errno. */
XCTL_API int xctl_sops_link_map_id(int link_fd, uint32_t *map_id, uint32_t *link_id);

/* ---- inventory ------------------------------------------------------------------ */

struct xctl_sops_link {
	uint32_t id;
	char *pinned;		/* a bpffs path where it is pinned (one below
				 * <bpffs>/xctl/ when there is one), or NULL */
	char **more_pins;	/* any further paths where it is pinned */
	size_t more_pin_cnt;
};

struct xctl_sops_map {
	uint32_t id;
	char name[16];		/* map name (BPF_OBJ_NAME_LEN) */
	char kind[64];		/* "tcp_congestion_ops" */
	char ops_name[64];	/* value .name, "" when the kind has none */
	bool has_ops_name;
	uint32_t flags;		/* value .flags (TCP_CONG_*), when has_flags */
	bool has_flags;
	uint32_t btf_vmlinux_value_type_id;
	uint32_t state;		/* enum xctl_sops_state */
	uint32_t refcnt;	/* value common.refcnt */
	bool registered;	/* INUSE (legacy) or a live link points at it */
	bool link_based;	/* BPF_F_LINK */
	uint32_t users;		/* references beyond its links */
	char *module;		/* owning xctl module, or NULL */
	struct xctl_sops_link *links;
	size_t link_cnt;
	uint32_t value_size;
	uint32_t map_flags;
};

struct xctl_sops_list {
	struct xctl_sops_map *maps;
	size_t cnt;
};

/*
 * Every struct_ops map on the host with the links that point at them; pins
 * are found by scanning the bpffs `fs` (may be NULL: no pin information).
 */
XCTL_API int xctl_sops_list_get(struct xctl_sops_list *l, const struct xctl_bpffs *fs,
				struct xctl_err *err);
XCTL_API void xctl_sops_list_free(struct xctl_sops_list *l);

/* ---- ops names ------------------------------------------------------------------ */

/* Give map `map` (NULL: every map) the ops name `ops_name` before loading. */
struct xctl_sops_rename {
	const char *map;
	const char *ops_name;
};

#ifdef __cplusplus
}
#endif

#endif /* XCTL_STRUCT_OPS_H */
