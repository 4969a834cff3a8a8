/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one bpf_prog_info reader of lib/ (not public): what xctl shows of a
 * BPF program wherever it shows one (xdp stats/show/attach/detach, module
 * list/info, struct_ops values), with the program's full name.
 */
#ifndef XCTL_PROG_H
#define XCTL_PROG_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

struct xctl_prog {
	uint32_t id;
	uint32_t type;			/* BPF_PROG_TYPE_* */
	/*
	 * The full name: the kernel keeps 15 characters, the program's BTF
	 * (its first func_info record) has all of it, as bpftool shows it.
	 */
	char name[128];
	char tag[17];			/* hex of the 8-byte tag */
	uint64_t run_cnt;		/* counted while kernel.bpf_stats_enabled */
	uint64_t run_time_ns;
};

/* Read program id (-ENOENT when it is gone, -errno otherwise). */
int xctl_prog_read(uint32_t id, struct xctl_prog *p);

/*
 * The one JSON shape of a program: {id, name, tag, run_cnt, run_time_ns};
 * name and tag null when the program is gone, the run figures null unless
 * stats (kernel.bpf_stats_enabled, read once per command by the caller).
 */
json_t *xctl_prog_json(uint32_t id, bool stats);

#endif /* XCTL_PROG_H */
