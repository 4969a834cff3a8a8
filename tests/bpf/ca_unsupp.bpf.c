// SPDX-License-Identifier: GPL-2.0
/*
 * Two complete CAs; ca_unsupp_info also sets .get_info, a member the kernel
 * does not let BPF implement (bpf_tcp_ca_check_member: ENOTSUPP, errno 524).
 * Loading the object fails naming the member; `map ca_unsupp_ok` loads only
 * the programs ca_unsupp_ok uses, so it succeeds.
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
__u32 BPF_PROG(ca_unsupp_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_unsupp_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops")
__u32 BPF_PROG(ca_unsupp_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("struct_ops")
__u64 BPF_PROG(ca_unsupp_get_info, struct sock *sk, __u32 ext, int *attr,
	       union tcp_cc_info *info)
{
	return 0;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_unsupp_ok = {
	.ssthresh	= (void *)ca_unsupp_ssthresh,
	.cong_avoid	= (void *)ca_unsupp_cong_avoid,
	.undo_cwnd	= (void *)ca_unsupp_undo_cwnd,
	.name		= "xctl_unsupp_ok",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_unsupp_info = {
	.ssthresh	= (void *)ca_unsupp_ssthresh,
	.cong_avoid	= (void *)ca_unsupp_cong_avoid,
	.undo_cwnd	= (void *)ca_unsupp_undo_cwnd,
	.get_info	= (void *)ca_unsupp_get_info,
	.name		= "xctl_unsupp_i",
};
