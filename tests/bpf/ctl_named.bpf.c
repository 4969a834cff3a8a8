// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program whose name no other test uses, for `control lookup prog
 * name NAME` (names must be unique; programs attached in other tests may
 * outlive them while their namespaces are torn down). The test loads a copy
 * renamed to a name of its own (tests/tools/rename_sym.py), as the same test
 * may run concurrently.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ctl_named_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
