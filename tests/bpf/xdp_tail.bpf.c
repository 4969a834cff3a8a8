// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP object in the style of the kernel selftests' tail-call tests and
 * xdp-tools: the entry program tail-calls through a statically initialised
 * prog_array, whose slot 0 holds xt_pass; when the tail call fails (the
 * slot is empty, e.g. because the kernel flushed the array with its last
 * user reference) the entry's fallback action, XDP_DROP, is taken.
 * xt_hits counts packets per program (0: entry, 1: xt_pass); it is pinned
 * by name, so objects attached with one pin_root share it. xt_other is a
 * program no map names: a loader that honours the object leaves it alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xt_hits SEC(".maps");

static void hit(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&xt_hits, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xt_pass(struct xdp_md *ctx)
{
	hit(1);
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} xt_jmp SEC(".maps") = {
	.values = {
		[0] = (void *)&xt_pass,
	},
};

SEC("xdp")
int xt_entry(struct xdp_md *ctx)
{
	hit(0);
	bpf_tail_call(ctx, &xt_jmp, 0);
	return XDP_DROP;
}

SEC("xdp")
int xt_other(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
