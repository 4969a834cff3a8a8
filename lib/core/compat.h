/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel UAPI constants newer than the headers we build against (Debian
 * bookworm ships 6.1 UAPI headers and libbpf 1.1). Values are ABI and never
 * change; each is guarded so newer headers win.
 */
#ifndef XCTL_COMPAT_H
#define XCTL_COMPAT_H

#include <linux/bpf.h>

/* Map flag: struct_ops map registered through a bpf_link (6.4). */
#ifndef BPF_F_LINK
#define BPF_F_LINK		(1U << 13)
#define XCTL_NEED_SOPS_ATTACH_TYPE 1
#endif

/*
 * enum bpf_attach_type gained BPF_STRUCT_OPS (44) in 6.4, together with
 * BPF_F_LINK; an enumerator cannot be tested with #ifdef, so the macro is
 * defined only when BPF_F_LINK was missing too.
 */
#ifdef XCTL_NEED_SOPS_ATTACH_TYPE
#define BPF_STRUCT_OPS		44
#endif

/* bpf_link_type BPF_LINK_TYPE_STRUCT_OPS (9) exists in 6.1 already. */

#ifndef BPF_F_REPLACE
#define BPF_F_REPLACE		(1U << 2)
#endif

/* Map type BPF_MAP_TYPE_CGRP_STORAGE (6.2); an enumerator, so xctl's own name. */
#define XCTL_MAP_TYPE_CGRP_STORAGE	32

/*
 * Program flag: an XDP program bound to one device (prog_ifindex) without
 * being offloaded, so it may call the XDP RX metadata kfuncs (6.3).
 */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY	(1U << 6)
#endif

/* BPF stats: bpf_prog_info run_time_ns/run_cnt need kernel.bpf_stats_enabled. */

/* bpffs superblock magic (linux/magic.h) */
#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC		0xcafe4a11
#endif

/*
 * struct bpf_link_info as of 6.4: the 6.1 header's union lacks the
 * struct_ops member (map_id, first in the union). Same layout up to it; the
 * padding covers the largest union member so the kernel's tail check sees
 * zeros.
 */
struct xctl_link_info {
	__u32 type;
	__u32 id;
	__u32 prog_id;
	union {
		struct {
			__u32 map_id;
		} struct_ops;
		__u64 pad[8];
	};
} __attribute__((aligned(8)));

/* Netlink/ethtool constants the 6.1 headers lack belong here too. */

/*
 * Generic netlink "netdev" family (6.3+, linux/netdev.h); its enums are
 * missing from 6.1 headers entirely, so xctl uses its own macro names.
 */
#ifndef XCTL_NETDEV_GENL_NAME
#define XCTL_NETDEV_GENL_NAME			"netdev"
#define XCTL_NETDEV_CMD_DEV_GET			1
#define XCTL_NETDEV_A_DEV_IFINDEX		1
#define XCTL_NETDEV_A_DEV_XDP_FEATURES		3	/* u64 NETDEV_XDP_ACT_* */
#define XCTL_NETDEV_A_DEV_XDP_ZC_MAX_SEGS	4	/* u32 */
#define XCTL_NETDEV_A_DEV_XDP_RX_METADATA_FEATURES 5	/* u64 NETDEV_XDP_RX_METADATA_* */
#define XCTL_NETDEV_A_DEV_XSK_FEATURES		6	/* u64 NETDEV_XSK_FLAGS_* */
#endif

#endif /* XCTL_COMPAT_H */
