// SPDX-License-Identifier: GPL-2.0
/*
 * The struct_ops object patcher (lib/struct_ops/sops_obj.c): the input is
 * an object file, opened as `struct_ops register` and `module load` do,
 * with every ops name renamed (the path that rewrites the image), then
 * again with every map selected by name (optional ones included: for libbpf
 * < 1.2 the rewrite in sops_image.c keeps them).
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

#define MAX_SEL	16

/*
 * Open again with every map selected by name: optional maps too, so that
 * the rewrite for libbpf < 1.2 keeps them (the first open leaves them out).
 */
static void open_all(const char *path, const struct xctl_sops_obj *first, size_t n)
{
	const char *names[MAX_SEL];
	XCTL_OPTS(xctl_sops_open_opts, oo, .rename = rename_all, .maps = names, .map_cnt = n);
	struct xctl_sops_obj *o = NULL;
	struct xctl_err err = {};
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		names[i] = xctl_sops_obj_map_name(first, i);
	if (!xctl_sops_obj_open(path, &oo, &o, &err))
		xctl_sops_obj_close(o);
	xctl_err_reset(&err);
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
		size_t i, n = xctl_sops_obj_all_map_cnt(o);

		for (i = 0; i < xctl_sops_obj_map_cnt(o); i++)
			(void)xctl_sops_obj_ops_name(o, i);
		if (n <= MAX_SEL)
			open_all(path, o, n);
		xctl_sops_obj_close(o);
	}
	xctl_err_reset(&err);
	return 0;
}
