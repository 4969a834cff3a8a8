/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Control maps: a map-shaped, BTF-described view over one kernel subsystem
 * (DESIGN.md §1). A control type has a fixed key (a __u32: an ifindex or a
 * BPF object id), a value described by BTF, and the operations of a BPF map:
 * get_next_key, lookup and, where the subsystem accepts changes, update.
 *
 * Inputs are fixed (keys, the update grammar); outputs are self-describing:
 * where the kernel has a type for a value its own BTF is used, so fields newer
 * than xctl's headers still appear. Values follow the kernel's growth rule:
 * lookup copies min(caller's size, real size) and reports the real size.
 *
 * Types:
 *   xdp         ifindex -> struct xctl_xdp_state (BTF built by xctl)
 *   netdev      ifindex -> struct rtnl_link_stats64 (kernel BTF)
 *   prog        prog id -> struct bpf_prog_info (kernel BTF)
 *   struct_ops  map id  -> struct bpf_struct_ops_<kind> (kernel BTF, per key)
 *   ethtool     ifindex -> struct xctl_ethtool_<driver> (BTF synthesised from
 *                          the driver's stats string set, per key)
 */
#ifndef XCTL_CONTROL_H
#define XCTL_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "xctl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct btf;
struct xctl_ctl;

enum xctl_ctl_op {
	XCTL_CTL_OP_GET_NEXT	= 1U << 0,
	XCTL_CTL_OP_LOOKUP	= 1U << 1,
	XCTL_CTL_OP_UPDATE	= 1U << 2,
	XCTL_CTL_OP_PIN		= 1U << 3,
};

/* Static description of a control type. */
struct xctl_ctl_type_info {
	const char *name;		/* "netdev" */
	const char *desc;		/* one line */
	const char *key_name;		/* "ifindex", "id" */
	const char *key_type;		/* C type name of the key: "xctl_ifindex_t" */
	const char *value_type;		/* "struct rtnl_link_stats64"; with a
					 * per-key type a pattern such as
					 * "struct bpf_struct_ops_<kind>" */
	unsigned int ops;		/* enum xctl_ctl_op */
	bool per_key_type;		/* the value's BTF type depends on the key */
	bool device_key;		/* key is an ifindex (else a BPF object id) */
};

/* Number of types and the i-th one (NULL when out of range). */
XCTL_API size_t xctl_ctl_type_cnt(void);
XCTL_API const struct xctl_ctl_type_info *xctl_ctl_type_at(size_t i);
/* Exact name or unique prefix; NULL when none (-ENOENT) or ambiguous. */
XCTL_API const struct xctl_ctl_type_info *xctl_ctl_type_find(const char *name, int *errp);

/*
 * Open a type: device types take one snapshot of the network namespace's
 * devices here (one netlink dump per family); BPF object types read the
 * kernel live on every call.
 */
XCTL_API int xctl_ctl_open(const char *type, struct xctl_ctl **out, struct xctl_err *err);

struct xctl_ctl_opts {
	size_t sz;
	/*
	 * Where updates that keep state in bpffs (the xdp type's redirect
	 * setup) pin it: NULL is XCTL_BPFFS_DEFAULT.
	 */
	const char *bpffs_dir;
	bool no_mount;		/* do not mount a bpffs on bpffs_dir */
};
#define xctl_ctl_opts__last_field no_mount

/* xctl_ctl_open() with options; xctl_ctl_open() is this with opts NULL. */
XCTL_API int xctl_ctl_open_ext(const char *type, const struct xctl_ctl_opts *opts,
			       struct xctl_ctl **out, struct xctl_err *err);
XCTL_API void xctl_ctl_close(struct xctl_ctl *c);
XCTL_API const struct xctl_ctl_type_info *xctl_ctl_info(const struct xctl_ctl *c);

/* All keys are __u32 in this version; key buffers are this many bytes. */
#define XCTL_CTL_KEY_SIZE 4

/* Next key in ascending order; key NULL gives the first. -ENOENT after the last. */
XCTL_API int xctl_ctl_get_next_key(struct xctl_ctl *c, const void *key, void *next_key,
				   struct xctl_err *err);

struct xctl_ctl_lookup_opts {
	size_t sz;
	/* in: where to copy the value; min(value_sz, size) bytes are copied */
	void *value;
	size_t value_sz;
	/* out: the real size and the BTF type describing the value (owned by
	 * the struct xctl_ctl, valid until it is closed) */
	size_t size;
	const struct btf *btf;
	uint32_t type_id;
	/* out: enum xctl_btf_flags the value needs to be rendered */
	unsigned int dump_flags;
	/*
	 * out: bit i set = member i of the value struct is not provided by the
	 * kernel or driver (its bytes are 0, and JSON shows null: never a
	 * made-up 0).
	 */
	uint64_t absent;
};
#define xctl_ctl_lookup_opts__last_field absent

/*
 * Name of the object a key denotes: the device's name for device types, the
 * program's or map's name for BPF object types; "" when it has none (or is
 * gone). 0, or -EINVAL when len is 0.
 */
XCTL_API int xctl_ctl_key_name(struct xctl_ctl *c, const void *key, char *buf,
			       size_t len);

XCTL_API int xctl_ctl_lookup(struct xctl_ctl *c, const void *key,
			     struct xctl_ctl_lookup_opts *opts, struct xctl_err *err);

/*
 * Update key with FIELD=VALUE assignments. Each type that accepts updates has
 * a fixed command struct (see `xctl control btf TYPE`): it starts zeroed, the
 * assignments set its members by BTF member path ("rings.num=12", enum
 * members by enumerator name), type-checked by the BTF, and the type carries
 * out the result. *report (may be NULL) receives what was done. Types
 * without XCTL_CTL_OP_UPDATE fail with -EOPNOTSUPP ("control type 'netdev'
 * is read-only").
 */
XCTL_API int xctl_ctl_update(struct xctl_ctl *c, const void *key,
			     const char *const *assign, size_t n, json_t **report,
			     struct xctl_err *err);

/*
 * The key and value types as BTF. key may be NULL unless the type has a
 * per-key value type (-EINVAL then). Both live in *btf (owned by c).
 */
struct xctl_ctl_btf {
	const struct btf *key_btf;
	uint32_t key_type_id;
	const struct btf *value_btf;
	uint32_t value_type_id;
	/* the update command struct; update_btf NULL for read-only types */
	const struct btf *update_btf;
	uint32_t update_type_id;
};
XCTL_API int xctl_ctl_btf(struct xctl_ctl *c, const void *key, struct xctl_ctl_btf *out,
			  struct xctl_err *err);

/*
 * Materialise a snapshot as a BPF hash map pinned at path (anywhere on a
 * bpffs). The key and value BTF are loaded into the kernel so that
 * `bpftool map dump` shows field names; pointers in copied kernel types
 * become `void *`. An existing pin at path is replaced atomically (pinned
 * under a temporary name, then rename()), but only if it is an xctl control
 * snapshot of the same type. Types whose keys have different value types
 * are refused when the snapshot mixes them.
 */
struct xctl_ctl_pin_result {
	uint32_t map_id;
	uint32_t entries;
	bool replaced;		/* an older snapshot was replaced */
};
XCTL_API int xctl_ctl_pin(struct xctl_ctl *c, const char *path,
			  struct xctl_ctl_pin_result *res, struct xctl_err *err);

/* C name of a BTF type for messages: "struct rtnl_link_stats64", "__u32". */
XCTL_API void xctl_ctl_type_name(const struct btf *btf, uint32_t id, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* XCTL_CONTROL_H */
