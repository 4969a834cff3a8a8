// SPDX-License-Identifier: GPL-2.0
/*
 * Only optional struct_ops maps (kernel selftests' struct_ops_autocreate2.c
 * style): nothing is registered unless a map is selected, 'map
 * ca_optonly_a' (SEC("?.struct_ops.link")) or 'map ca_optonly_b'
 * (SEC("?.struct_ops"), the optional form of the legacy section). Each map
 * has a program of its own, so a map left out leaves its program unloaded.
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
__u32 BPF_PROG(ca_optonly_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_optonly_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_optonly_undo_a, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("?struct_ops/undo_cwnd")
__u32 BPF_PROG(ca_optonly_undo_b, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("?.struct_ops.link")
struct tcp_congestion_ops ca_optonly_a = {
	.ssthresh	= (void *)ca_optonly_ssthresh,
	.cong_avoid	= (void *)ca_optonly_cong_avoid,
	.undo_cwnd	= (void *)ca_optonly_undo_a,
	.name		= "xctl_optonly_a",
};

SEC("?.struct_ops")
struct tcp_congestion_ops ca_optonly_b = {
	.ssthresh	= (void *)ca_optonly_ssthresh,
	.cong_avoid	= (void *)ca_optonly_cong_avoid,
	.undo_cwnd	= (void *)ca_optonly_undo_b,
	.name		= "xctl_optonly_b",
};
