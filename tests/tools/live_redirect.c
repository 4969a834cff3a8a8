// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: send COUNT frames into an XDP redirect towards DEV with
 * BPF_PROG_TEST_RUN live frames (BPF_F_TEST_XDP_LIVE_FRAMES), using the
 * devmap program of tests/bpf/redir_devmap.bpf.o. Whether the frames are
 * transmitted is for the caller to check (ethtool -S DEV). Built by the bats
 * tests at run time: cc live_redirect.c -lbpf.
 *
 * usage: live_redirect OBJ DEV COUNT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

int main(int argc, char **argv)
{
	unsigned char frame[64] = {
		0x02, 0, 0, 0, 0, 0x01,		/* dst: locally administered */
		0x02, 0, 0, 0, 0, 0x02,		/* src */
		0x88, 0xb5,			/* local experimental ethertype */
	};
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	unsigned int ifindex, key = 0;
	int count, r;

	if (argc != 4) {
		fprintf(stderr, "usage: %s OBJ DEV COUNT\n", argv[0]);
		return 2;
	}
	ifindex = if_nametoindex(argv[2]);
	count = atoi(argv[3]);
	if (!ifindex || count <= 0) {
		fprintf(stderr, "bad device or count\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "cannot load %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "redir_devmap");
	map = bpf_object__find_map_by_name(obj, "tx_port");
	if (!prog || !map || bpf_map_update_elem(bpf_map__fd(map), &key, &ifindex, 0)) {
		fprintf(stderr, "cannot set up the devmap: %s\n", strerror(errno));
		return 1;
	}
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			    .data_in = frame,
			    .data_size_in = sizeof(frame),
			    .repeat = (unsigned int)count,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .batch_size = 1);

		r = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	}
	if (r) {
		fprintf(stderr, "test run failed: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__close(obj);
	return 0;
}
