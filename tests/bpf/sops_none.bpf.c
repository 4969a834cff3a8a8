// SPDX-License-Identifier: GPL-2.0
/* A valid BPF object without struct_ops maps: register must refuse it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

SEC("xdp")
int sops_none_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
