// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program whose name is longer than the kernel's 15 characters, for
 * tests/cli/xdp_attach.bats: xctl shows the full name from BTF, as bpftool
 * does, where ip shows the kernel's truncated one.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass_with_a_long_name(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
