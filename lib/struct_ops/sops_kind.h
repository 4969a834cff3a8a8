/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one resolver of struct_ops values (not public; the struct_ops
 * folder's interface to lib/module): the kind a kernel value type stands
 * for, and where its parts lie, found by member path on the kernel BTF.
 *
 *   struct bpf_struct_ops_<kind> {
 *           struct bpf_struct_ops_common_value common;  { refcnt; state; }
 *           struct <kind> data;                          (.name for most kinds)
 *   };
 */
#ifndef XCTL_SOPS_KIND_H
#define XCTL_SOPS_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct xctl_err;

#define SOPS_VALUE_PREFIX	"bpf_struct_ops_"

/*
 * The kind of kernel value type value_type_id ("tcp_congestion_ops" for
 * struct bpf_struct_ops_tcp_congestion_ops); -ENOENT with err when it is
 * not a struct_ops value type.
 */
int sops_kind_of(uint32_t value_type_id, char *kind, size_t len, struct xctl_err *err);

/* Where the parts of a value lie (byte offsets), from the kernel BTF. */
struct sops_layout {
	uint32_t value_size;		/* of the kernel type */
	bool has_common;
	size_t refcnt_off, state_off;	/* common.refcnt, common.state (u32 each) */
	size_t data_off;		/* data: struct <kind> */
	uint32_t data_type;		/* its type id */
	bool has_name;
	size_t name_off;		/* data.name, a char array */
	uint32_t name_len;
	bool has_flags;
	size_t flags_off;		/* data.flags, a 4-byte int (TCP_CONG_*) */
};

/* The layout of value_type_id in the kernel BTF; -errno with err. */
int sops_layout_of(const struct btf *btf, uint32_t value_type_id, struct sops_layout *l,
		   struct xctl_err *err);

#endif /* XCTL_SOPS_KIND_H */
