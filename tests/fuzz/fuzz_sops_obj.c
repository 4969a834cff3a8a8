// SPDX-License-Identifier: GPL-2.0
/*
 * The struct_ops object patcher (lib/struct_ops/sops_obj.c): the input is
 * an object file, opened as `struct_ops register` and `module load` do,
 * with every ops name renamed (the path that rewrites the image).
 */
#include <stdlib.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "fuzz.h"

static const char *rename_all(const char *map, const char *cur, void *ctx)
{
	(void)map; (void)cur; (void)ctx;
	return "xctl_fz";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	XCTL_OPTS(xctl_sops_open_opts, oo, .rename = rename_all);
	static int fd = -1;
	static char path[64];
	struct xctl_sops_obj *o = NULL;
	struct xctl_err err = {};

	if (fd < 0) {
		libbpf_set_print(NULL);	/* libbpf stays quiet */
		fd = memfd_create("fuzz.bpf.o", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (!xctl_sops_obj_open(path, &oo, &o, &err)) {
		size_t i;

		for (i = 0; i < xctl_sops_obj_map_cnt(o); i++)
			(void)xctl_sops_obj_ops_name(o, i);
		xctl_sops_obj_close(o);
	}
	xctl_err_reset(&err);
	return 0;
}
