// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program reading RX metadata through a kfunc, as the kernel
 * selftests' xdp_metadata and xdp_hw_metadata do: the verifier accepts the
 * call only in a program loaded bound to the device. xrh_stats counts
 * packets (0) and those the driver gave a hash for (1).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} xrh_stats SEC(".maps");

static void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&xrh_stats, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xrh_prog(struct xdp_md *ctx)
{
	enum xdp_rss_hash_type type = 0;
	__u32 hash = 0;

	count(0);
	if (!bpf_xdp_metadata_rx_hash(ctx, &hash, &type))
		count(1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
