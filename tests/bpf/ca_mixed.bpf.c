// SPDX-License-Identifier: GPL-2.0
/*
 * One object, both struct_ops sections: ca_mixed_a in SEC(".struct_ops"),
 * ca_mixed_b in SEC(".struct_ops.link"), sharing their programs. libbpf 1.1
 * reads only the first section; xctl registers both through links on every
 * libbpf.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_mixed_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_mixed_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_mixed_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("struct_ops")
void BPF_PROG(ca_mixed_init, struct sock *sk)
{
	tcp_sk(sk)->snd_ssthresh = 0x7fffffff;
}

SEC(".struct_ops")
struct tcp_congestion_ops ca_mixed_a = {
	.ssthresh	= (void *)ca_mixed_ssthresh,
	.cong_avoid	= (void *)ca_mixed_cong_avoid,
	.undo_cwnd	= (void *)ca_mixed_undo_cwnd,
	.name		= "xctl_mixed_a",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_mixed_b = {
	.init		= (void *)ca_mixed_init,
	.ssthresh	= (void *)ca_mixed_ssthresh,
	.cong_avoid	= (void *)ca_mixed_cong_avoid,
	.undo_cwnd	= (void *)ca_mixed_undo_cwnd,
	.name		= "xctl_mixed_b",
};
