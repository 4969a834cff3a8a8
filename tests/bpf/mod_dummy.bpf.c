// SPDX-License-Identifier: GPL-2.0
/*
 * A bpf_dummy_ops struct_ops for the module tests: the kernel has the type
 * (for BPF_PROG_TEST_RUN) but refuses to register it, so a load must fail
 * cleanly and leave nothing behind.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops/mod_dummy_test_1")
int BPF_PROG(mod_dummy_test_1, struct bpf_dummy_ops_state *state)
{
	return 0;
}

SEC(".struct_ops")
struct bpf_dummy_ops mod_dummy = {
	.test_1 = (void *)mod_dummy_test_1,
};

char LICENSE[] SEC("license") = "GPL";
