// SPDX-License-Identifier: GPL-2.0
/*
 * A tcp congestion control the verifier rejects (struct_ops programs may not
 * write snd_cwnd_clamp), for the module tests: the load must fail with the
 * verifier's log under -d and leave nothing behind.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops/mod_reject_init")
void BPF_PROG(mod_reject_init, struct sock *sk)
{
	((struct tcp_sock *)sk)->snd_cwnd_clamp = 10;
}

SEC("struct_ops/mod_reject_ssthresh")
__u32 BPF_PROG(mod_reject_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/mod_reject_undo_cwnd")
__u32 BPF_PROG(mod_reject_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/mod_reject_cong_avoid")
void BPF_PROG(mod_reject_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC(".struct_ops")
struct tcp_congestion_ops mod_reject = {
	.init = (void *)mod_reject_init,
	.ssthresh = (void *)mod_reject_ssthresh,
	.undo_cwnd = (void *)mod_reject_undo_cwnd,
	.cong_avoid = (void *)mod_reject_cong_avoid,
	.name = "xctl_mod_reject",
};

char LICENSE[] SEC("license") = "GPL";
