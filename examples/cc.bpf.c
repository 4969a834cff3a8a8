// SPDX-License-Identifier: GPL-2.0
/*
 * xctl_cc: a Reno-style TCP congestion control written as BPF struct_ops.
 *
 *   slow start     cwnd grows by the number of segments acked, up to ssthresh
 *   avoidance      cwnd grows by one segment per window of acked segments
 *                  (Reno), or per min(cwnd, 100) acked segments ("scalable",
 *                  the Scalable TCP idea of a fixed per-ACK increase)
 *   on loss        ssthresh = cwnd * beta / 1024 (Reno: beta 512, halve)
 *
 * The tunables are `const volatile` globals in .rodata: set them when the
 * object is loaded, e.g.
 *
 *   xctl module load examples/cc.bpf.o name cc beta=717 growth=scalable
 *
 * and the verifier sees them as constants. The TCP CA name is .name of the
 * struct_ops map below; `xctl struct_ops register ... ops_name NAME` loads the
 * same object under another name.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

enum xctl_cc_growth {
	XCTL_CC_RENO = 0,	/* +1 segment per cwnd acked */
	XCTL_CC_SCALABLE = 1,	/* +1 segment per min(cwnd, 100) acked */
};

/* Multiplicative decrease on loss, in 1/1024 (512: halve, as Reno). */
const volatile __u32 beta = 512;
/* Slow-start threshold of a new connection; 0 keeps the kernel's default. */
const volatile __u32 init_ssthresh = 0;
/* false: start new connections in congestion avoidance (no slow start). */
const volatile bool slow_start = true;
const volatile enum xctl_cc_growth growth = XCTL_CC_RENO;
/* Free-form label, e.g. a deployment tag; `xctl module info` shows it. */
const volatile char label[16] = "reno";

#define XCTL_CC_SCALABLE_CNT	100
#define XCTL_CC_MIN_CWND	2
#define TCP_CONG_NON_RESTRICTED	0x1	/* include/net/tcp.h, not in BTF */

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/xctl_cc_init")
void BPF_PROG(xctl_cc_init, struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (init_ssthresh)
		tp->snd_ssthresh = init_ssthresh;
	if (!slow_start)
		tp->snd_ssthresh = tp->snd_cwnd;
}

SEC("struct_ops/xctl_cc_ssthresh")
__u32 BPF_PROG(xctl_cc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	__u32 b = beta > 1024 ? 1024 : beta;
	__u32 next = (__u32)(((__u64)tp->snd_cwnd * b) >> 10);

	return next > XCTL_CC_MIN_CWND ? next : XCTL_CC_MIN_CWND;
}

SEC("struct_ops/xctl_cc_cong_avoid")
void BPF_PROG(xctl_cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	__u32 w;

	if (tp->snd_cwnd < tp->snd_ssthresh) {
		/* slow start: never overshoot ssthresh in one ACK */
		__u32 cwnd = tp->snd_cwnd + acked;

		tp->snd_cwnd = cwnd < tp->snd_ssthresh ? cwnd : tp->snd_ssthresh;
		return;
	}
	w = tp->snd_cwnd;
	if (growth == XCTL_CC_SCALABLE && w > XCTL_CC_SCALABLE_CNT)
		w = XCTL_CC_SCALABLE_CNT;
	/* additive increase: one segment per w segments acked */
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd_cnt -= w;
		if (tp->snd_cwnd_cnt >= w)
			tp->snd_cwnd_cnt = 0;
		if (tp->snd_cwnd < tp->snd_cwnd_clamp)
			tp->snd_cwnd++;
	}
}

SEC("struct_ops/xctl_cc_undo_cwnd")
__u32 BPF_PROG(xctl_cc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	/* after a spurious loss signal, return to the window before it */
	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops xctl_cc = {
	.init		= (void *)xctl_cc_init,
	.ssthresh	= (void *)xctl_cc_ssthresh,
	.cong_avoid	= (void *)xctl_cc_cong_avoid,
	.undo_cwnd	= (void *)xctl_cc_undo_cwnd,
	/* any network namespace may make it its default */
	.flags		= TCP_CONG_NON_RESTRICTED,
	.name		= "xctl_cc",
};
