// SPDX-License-Identifier: GPL-2.0
/*
 * A struct_ops object for the control-map tests. The tests only load it
 * (bpftool prog loadall ... pinmaps): the map exists with its kernel value
 * type but is never registered, so no congestion control appears host-wide.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops/ctl_ssthresh")
__u32 BPF_PROG(ctl_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/ctl_undo_cwnd")
__u32 BPF_PROG(ctl_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/ctl_cong_avoid")
void BPF_PROG(ctl_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC(".struct_ops")
struct tcp_congestion_ops ctl_ca = {
	.ssthresh = (void *)ctl_ssthresh,
	.undo_cwnd = (void *)ctl_undo_cwnd,
	.cong_avoid = (void *)ctl_cong_avoid,
	.name = "xctl_ctl_unreg",
};

char LICENSE[] SEC("license") = "GPL";
