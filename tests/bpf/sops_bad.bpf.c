// SPDX-License-Identifier: GPL-2.0
/*
 * A tcp_congestion_ops the verifier refuses: it writes tcp_sock::rcv_nxt,
 * which congestion controls may not touch. Registering it must fail with
 * the verifier's log available (-d) and leave nothing behind.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

SEC("struct_ops/sops_bad_ssthresh")
__u32 BPF_PROG(sops_bad_ssthresh, struct sock *sk)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;

	tp->rcv_nxt = 0;
	return 2;
}

SEC("struct_ops/sops_bad_cong_avoid")
void BPF_PROG(sops_bad_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/sops_bad_undo_cwnd")
__u32 BPF_PROG(sops_bad_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops")
struct tcp_congestion_ops sops_bad = {
	.ssthresh	= (void *)sops_bad_ssthresh,
	.cong_avoid	= (void *)sops_bad_cong_avoid,
	.undo_cwnd	= (void *)sops_bad_undo_cwnd,
	.name		= "xctl_sops_bad",
};
