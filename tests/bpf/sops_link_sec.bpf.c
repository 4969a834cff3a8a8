// SPDX-License-Identifier: GPL-2.0
/*
 * A struct_ops map in the ".struct_ops.link" section (libbpf >= 1.2):
 * libbpf 1.1 cannot read it, and xctl must say how to rebuild the object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

SEC("struct_ops/sops_link_ssthresh")
__u32 BPF_PROG(sops_link_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/sops_link_cong_avoid")
void BPF_PROG(sops_link_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/sops_link_undo_cwnd")
__u32 BPF_PROG(sops_link_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops sops_link = {
	.ssthresh	= (void *)sops_link_ssthresh,
	.cong_avoid	= (void *)sops_link_cong_avoid,
	.undo_cwnd	= (void *)sops_link_undo_cwnd,
	.name		= "xctl_sops_link",
};
