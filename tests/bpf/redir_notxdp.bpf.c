// SPDX-License-Identifier: GPL-2.0
/* An object without XDP programs: `xctl xdp attach` must refuse it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("socket")
int sock_only(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
