// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal tcp_congestion_ops whose map name, sops_cc, only the struct_ops
 * tests use. The test of `unregister name NAME` registers a copy whose map
 * has a name of its own (tests/tools/rename_sym.py): the suite may run
 * concurrently, and other tests register maps named sops_cc.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/sops_cc_ssthresh")
__u32 BPF_PROG(sops_cc_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/sops_cc_cong_avoid")
void BPF_PROG(sops_cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops/sops_cc_undo_cwnd")
__u32 BPF_PROG(sops_cc_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops sops_cc = {
	.ssthresh	= (void *)sops_cc_ssthresh,
	.cong_avoid	= (void *)sops_cc_cong_avoid,
	.undo_cwnd	= (void *)sops_cc_undo_cwnd,
	.name		= "xctl_sops_cc",
};
