// SPDX-License-Identifier: GPL-2.0
/*
 * xctl's own pass-through XDP program, attached by `xctl xdp redirect setup`
 * where a device needs an XDP program to become a redirect target (on a veth
 * peer, to give it NAPI; on drivers that need a program on the target). It
 * passes every frame up the stack unchanged.
 *
 * The object also carries the map in which setup records what it changed
 * (pinned next to the program's link), so the record is BTF-described and
 * readable with `bpftool map dump`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Which channel count setup changed. */
enum xctl_redirect_chan {
	XCTL_REDIRECT_CHAN_NONE = 0,
	XCTL_REDIRECT_CHAN_TX = 1,
	XCTL_REDIRECT_CHAN_COMBINED = 2,
};

/* Must match struct xctl_redirect_state in lib/xdp_priv.h. */
struct xctl_redirect_state {
	__u32 version;
	__u32 ifindex;
	char ifname[16];
	__u32 helper_ifindex;		/* where xdp_pass is attached; 0: none */
	char helper_ifname[16];
	enum xctl_redirect_chan chan;	/* channel count changed */
	__u32 chan_prev;
	__u32 chan_new;
	__u32 ring_changed;		/* TX ring size changed */
	__u32 ring_prev;
	__u32 ring_new;
	__u64 setup_time;		/* CLOCK_REALTIME seconds */
	__u32 complete;			/* 0 while setup is still changing things */
	__u32 helper_netns;		/* 1: helper is in another netns (veth peer) */
	__s32 helper_nsid;		/* its nsid as seen from the device's netns */
	__u32 reserved;
	__u64 helper_netns_ino;		/* inode of that netns */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xctl_redirect_state);
} redir_state SEC(".maps");

SEC("xdp")
int xctl_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
