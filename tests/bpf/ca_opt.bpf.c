// SPDX-License-Identifier: GPL-2.0
/*
 * An optional struct_ops map, written as the kernel selftests'
 * struct_ops_autocreate.c is: ca_opt_base in SEC(".struct_ops.link") is
 * registered by default, ca_opt_extra in SEC("?.struct_ops.link") only when
 * selected (libbpf 1.4+: bpf_map__set_autocreate(map, true); xctl: 'map
 * ca_opt_extra'). As upstream's test_2, the program only the optional map
 * uses cannot load: ca_opt_get_info implements .get_info, which the kernel
 * refuses (ENOTSUPP), so the object loads only while that program is left
 * out. Programs in SEC("?struct_ops/...") start with autoload off:
 * ca_opt_undo_cwnd (a member the kernel requires) is loaded because the
 * default map uses it.
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
__u32 BPF_PROG(ca_opt_ssthresh, struct sock *sk)
{
	__u32 half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(ca_opt_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("?struct_ops/undo_cwnd")
__u32 BPF_PROG(ca_opt_undo_cwnd, struct sock *sk)
{
	return tcp_sk(sk)->snd_cwnd;
}

SEC("?struct_ops/get_info")
__u64 BPF_PROG(ca_opt_get_info, struct sock *sk, __u32 ext, int *attr,
	       union tcp_cc_info *info)
{
	return 0;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_opt_base = {
	.ssthresh	= (void *)ca_opt_ssthresh,
	.cong_avoid	= (void *)ca_opt_cong_avoid,
	.undo_cwnd	= (void *)ca_opt_undo_cwnd,
	.name		= "xctl_opt_base",
};

SEC("?.struct_ops.link")
struct tcp_congestion_ops ca_opt_extra = {
	.ssthresh	= (void *)ca_opt_ssthresh,
	.cong_avoid	= (void *)ca_opt_cong_avoid,
	.undo_cwnd	= (void *)ca_opt_undo_cwnd,
	.get_info	= (void *)ca_opt_get_info,
	.name		= "xctl_opt_extra",
};
