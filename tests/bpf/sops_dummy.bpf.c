// SPDX-License-Identifier: GPL-2.0
/*
 * A bpf_dummy_ops map: a struct_ops kind without a `name` member, which the
 * kernel loads but refuses to register (it exists for BPF_PROG_TEST_RUN).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

SEC("struct_ops/sops_dummy_test_1")
int BPF_PROG(sops_dummy_test_1, struct bpf_dummy_ops_state *state)
{
	return 0;
}

SEC(".struct_ops")
struct bpf_dummy_ops sops_dummy = {
	.test_1 = (void *)sops_dummy_test_1,
};
