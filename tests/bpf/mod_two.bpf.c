// SPDX-License-Identifier: GPL-2.0
/*
 * Two tcp congestion controls in one module, for the module tests: a reload
 * whose second swap fails must put the first one back.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 init_ssthresh = 0;

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/mod_two_init")
void BPF_PROG(mod_two_init, struct sock *sk)
{
	if (init_ssthresh)
		tcp_sk(sk)->snd_ssthresh = init_ssthresh;
}

SEC("struct_ops/mod_two_ssthresh")
__u32 BPF_PROG(mod_two_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/mod_two_cong_avoid")
void BPF_PROG(mod_two_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops/mod_two_undo_cwnd")
__u32 BPF_PROG(mod_two_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops mod_two_a = {
	.init = (void *)mod_two_init,
	.ssthresh = (void *)mod_two_ssthresh,
	.cong_avoid = (void *)mod_two_cong_avoid,
	.undo_cwnd = (void *)mod_two_undo_cwnd,
	.name = "xctl_mod_two_a",
};

SEC(".struct_ops")
struct tcp_congestion_ops mod_two_b = {
	.init = (void *)mod_two_init,
	.ssthresh = (void *)mod_two_ssthresh,
	.cong_avoid = (void *)mod_two_cong_avoid,
	.undo_cwnd = (void *)mod_two_undo_cwnd,
	.name = "xctl_mod_two_b",
};

char LICENSE[] SEC("license") = "GPL";
