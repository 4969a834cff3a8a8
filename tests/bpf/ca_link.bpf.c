// SPDX-License-Identifier: GPL-2.0
/*
 * A tcp congestion control in SEC(".struct_ops.link"), written as the kernel
 * selftests' tcp_ca_update.c and bpf_cubic.c are: programs in SEC("struct_ops"),
 * the map in the section libbpf 1.2+ registers through a link. It does not
 * set TCP_CONG_NON_RESTRICTED, as upstream CAs do not.
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
__u32 BPF_PROG(ca_link_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_link_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_link_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_link = {
	.ssthresh	= (void *)ca_link_ssthresh,
	.cong_avoid	= (void *)ca_link_cong_avoid,
	.undo_cwnd	= (void *)ca_link_undo_cwnd,
	.name		= "xctl_ca_link",
};
