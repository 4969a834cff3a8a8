// SPDX-License-Identifier: GPL-2.0
/*
 * A module object in the BTF-defined-maps style of the kernel selftests:
 * a LIBBPF_PIN_BY_NAME map the running CA updates (shared through pin_root
 * by the objects that declare it identically), a hash map left unsized for
 * the loader (`max_entries mm_seen=N`), a runtime global in .data and a
 * counter in .bss (`xctl module set`), a const volatile parameter, and a
 * plain const global that is not a parameter.
 *
 * Every new connection's init: mm_stats[0] += weight; mm_seen[port]++;
 * inits++; and, when init_ssthresh (.data) is not 0, the connection starts
 * with that slow-start threshold (`ss -ti` shows "ssthresh:N").
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define TCP_CONG_NON_RESTRICTED	0x1

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mm_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
} mm_seen SEC(".maps");

const volatile __u64 weight = 1;		/* parameter */
const __u32 stats_slot = 0;			/* plain const: not a parameter */
__u32 init_ssthresh SEC(".data") = 0;	/* runtime global (.data) */
__u64 inits;					/* runtime global (.bss) */

static struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/mm_init")
void BPF_PROG(mm_init, struct sock *sk)
{
	__u32 key = stats_slot, port = sk->__sk_common.skc_num;
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&mm_stats, &key);
	if (v)
		__sync_fetch_and_add(v, weight);
	v = bpf_map_lookup_elem(&mm_seen, &port);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&mm_seen, &port, &one, BPF_NOEXIST);
	__sync_fetch_and_add(&inits, 1);
	if (init_ssthresh)
		tcp_sk(sk)->snd_ssthresh = init_ssthresh;
}

SEC("struct_ops/mm_ssthresh")
__u32 BPF_PROG(mm_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	__u32 half = tp->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

SEC("struct_ops/mm_cong_avoid")
void BPF_PROG(mm_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_ssthresh)
		tp->snd_cwnd += acked;
	else if (tp->snd_cwnd_cnt >= tp->snd_cwnd) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	} else {
		tp->snd_cwnd_cnt++;
	}
}

SEC("struct_ops/mm_undo_cwnd")
__u32 BPF_PROG(mm_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops mod_maps = {
	.init = (void *)mm_init,
	.ssthresh = (void *)mm_ssthresh,
	.cong_avoid = (void *)mm_cong_avoid,
	.undo_cwnd = (void *)mm_undo_cwnd,
	.flags = TCP_CONG_NON_RESTRICTED,
	.name = "xctl_mod_maps",
};

char LICENSE[] SEC("license") = "GPL";
