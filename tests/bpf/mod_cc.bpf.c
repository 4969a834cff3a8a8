// SPDX-License-Identifier: GPL-2.0
/*
 * A Reno TCP congestion control for the module tests, with parameters whose
 * effect is visible from user space: init_ssthresh is the slow-start
 * threshold of every new connection (`ss -ti` shows "ssthresh:N"), so a
 * test can tell which implementation and which parameter value a connection
 * got. The other parameters exercise the types `module info` reports.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* include/net/tcp.h (a #define, so not in vmlinux.h) */
#define TCP_CONG_NON_RESTRICTED	0x1

enum mod_cc_mode { MOD_CC_RENO = 0, MOD_CC_CLAMPED = 1 };

const volatile __u32 init_ssthresh = 0;		/* 0: the kernel's default */
const volatile __u32 cwnd_clamp = 0;		/* 0: no clamp */
const volatile bool enabled = true;
const volatile enum mod_cc_mode mode = MOD_CC_RENO;
const volatile char tag[8] = "v1";

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/mod_cc_init")
void BPF_PROG(mod_cc_init, struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (enabled && init_ssthresh)
		tp->snd_ssthresh = init_ssthresh;
}

SEC("struct_ops/mod_cc_ssthresh")
__u32 BPF_PROG(mod_cc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	__u32 half = tp->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/mod_cc_cong_avoid")
void BPF_PROG(mod_cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* slow start below ssthresh, then one segment per window */
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tp->snd_cwnd += acked;
	} else if (tp->snd_cwnd_cnt >= tp->snd_cwnd) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	} else {
		tp->snd_cwnd_cnt++;
	}
	if (mode == MOD_CC_CLAMPED && cwnd_clamp && tp->snd_cwnd > cwnd_clamp)
		tp->snd_cwnd = cwnd_clamp;
}

SEC("struct_ops/mod_cc_undo_cwnd")
__u32 BPF_PROG(mod_cc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops mod_cc = {
	.init = (void *)mod_cc_init,
	.ssthresh = (void *)mod_cc_ssthresh,
	.cong_avoid = (void *)mod_cc_cong_avoid,
	.undo_cwnd = (void *)mod_cc_undo_cwnd,
	/* any network namespace may make it its default */
	.flags = TCP_CONG_NON_RESTRICTED,
	.name = "xctl_mod_cc",
};

char LICENSE[] SEC("license") = "GPL";
