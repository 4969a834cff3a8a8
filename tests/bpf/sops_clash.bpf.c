// SPDX-License-Identifier: GPL-2.0
/*
 * Two tcp_congestion_ops maps: the first has a name of its own, the second
 * is called "reno", which the kernel already has, so registering the object
 * fails on its second map. `xctl struct_ops register` must then undo the
 * first registration (all or nothing).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/sops_ssthresh")
__u32 BPF_PROG(sops_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/sops_cong_avoid")
void BPF_PROG(sops_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops/sops_undo_cwnd")
__u32 BPF_PROG(sops_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("struct_ops/sops_ssthresh2")
__u32 BPF_PROG(sops_ssthresh2, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/sops_cong_avoid2")
void BPF_PROG(sops_cong_avoid2, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops/sops_undo_cwnd2")
__u32 BPF_PROG(sops_undo_cwnd2, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops sops_first = {
	.ssthresh	= (void *)sops_ssthresh,
	.cong_avoid	= (void *)sops_cong_avoid,
	.undo_cwnd	= (void *)sops_undo_cwnd,
	.name		= "xctl_sops_first",
};

SEC(".struct_ops")
struct tcp_congestion_ops reno = {
	.ssthresh	= (void *)sops_ssthresh2,
	.cong_avoid	= (void *)sops_cong_avoid2,
	.undo_cwnd	= (void *)sops_undo_cwnd2,
	.name		= "reno",
};
