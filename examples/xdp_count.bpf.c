// SPDX-License-Identifier: GPL-2.0
/*
 * Example XDP program: counts received frames per IP protocol (per CPU) and
 * passes every frame up the stack. Attach it with
 *
 *	xctl xdp attach eth0 examples/xdp_count.bpf.o
 *
 * and read the counts with `bpftool map dump name proto_count`. xctl's own
 * `xdp stats` shows the driver's XDP counters next to it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

static __always_inline int l4_proto(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	struct iphdr *ip;

	if ((void *)(eth + 1) > end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > end)
			return -1;
		return ip->protocol;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > end)
			return -1;
		return ip6->nexthdr;
	}
	return -1;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	int proto = l4_proto((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	__u32 key;
	__u64 *cnt;

	if (proto < 0)
		return XDP_PASS;
	key = proto;
	cnt = bpf_map_lookup_elem(&proto_count, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
