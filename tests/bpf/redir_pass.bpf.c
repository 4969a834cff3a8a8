// SPDX-License-Identifier: GPL-2.0
/*
 * Programs for tests/cli/xdp_attach.bats: two XDP programs to attach and
 * replace, one whose name is longer than the 15 characters the kernel
 * keeps, and a socket filter to check that non-XDP programs are refused.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pass_a(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int pass_b(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_pass_with_a_long_name(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("socket")
int sock_all(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
