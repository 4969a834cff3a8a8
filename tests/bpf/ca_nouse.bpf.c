// SPDX-License-Identifier: GPL-2.0
/*
 * Two maps, the second incomplete, as the kernel selftests' bpf_dctcp.c
 * carries dctcp_nouse: ca_nouse_spare sets only .init and .set_state (no
 * ssthresh, undo_cwnd or cong_avoid), so the kernel refuses its value.
 * Registering the whole object fails; `map ca_nouse` registers the first.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

#define TCP_CONG_NEEDS_ECN	0x2

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops")
void BPF_PROG(ca_nouse_init, struct sock *sk)
{
	tcp_sk(sk)->snd_ssthresh = 0x7fffffff;
}

SEC("struct_ops")
void BPF_PROG(ca_nouse_state, struct sock *sk, __u8 new_state)
{
}

SEC("struct_ops")
__u32 BPF_PROG(ca_nouse_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_nouse_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_nouse_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops ca_nouse = {
	.init		= (void *)ca_nouse_init,
	.ssthresh	= (void *)ca_nouse_ssthresh,
	.cong_avoid	= (void *)ca_nouse_cong_avoid,
	.undo_cwnd	= (void *)ca_nouse_undo_cwnd,
	.name		= "xctl_nouse",
};

SEC(".struct_ops")
struct tcp_congestion_ops ca_nouse_spare = {
	.init		= (void *)ca_nouse_init,
	.set_state	= (void *)ca_nouse_state,
	.flags		= TCP_CONG_NEEDS_ECN,
	.name		= "xctl_nouse_spare",
};
