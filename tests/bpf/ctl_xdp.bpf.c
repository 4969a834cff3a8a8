// SPDX-License-Identifier: GPL-2.0
/* A minimal XDP program for the control-map tests (tests/cli/control.bats). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ctl_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
