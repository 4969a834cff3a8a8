// SPDX-License-Identifier: GPL-2.0
/*
 * Redirect every frame to the device in tx_port[0] (tests/cli/xdp_redirect.bats
 * runs it with BPF_PROG_TEST_RUN live frames through tests/tools/live_redirect.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

SEC("xdp")
int redir_devmap(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, 0);
}

char LICENSE[] SEC("license") = "GPL";
