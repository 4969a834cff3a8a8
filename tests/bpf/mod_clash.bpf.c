// SPDX-License-Identifier: GPL-2.0
/*
 * Two tcp congestion controls in one object for the module tests: the first
 * registers, the second is named "reno", which the kernel already has, so
 * its registration fails and the load must undo the first.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops/mod_clash_ssthresh")
__u32 BPF_PROG(mod_clash_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/mod_clash_undo_cwnd")
__u32 BPF_PROG(mod_clash_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/mod_clash_cong_avoid")
void BPF_PROG(mod_clash_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC(".struct_ops")
struct tcp_congestion_ops mod_clash_a = {
	.ssthresh = (void *)mod_clash_ssthresh,
	.undo_cwnd = (void *)mod_clash_undo_cwnd,
	.cong_avoid = (void *)mod_clash_cong_avoid,
	.name = "xctl_mod_clash",
};

SEC(".struct_ops")
struct tcp_congestion_ops mod_clash_b = {
	.ssthresh = (void *)mod_clash_ssthresh,
	.undo_cwnd = (void *)mod_clash_undo_cwnd,
	.cong_avoid = (void *)mod_clash_cong_avoid,
	.name = "reno",
};

char LICENSE[] SEC("license") = "GPL";
