// SPDX-License-Identifier: GPL-2.0
/*
 * Object opening up to libbpf (what `xdp attach` and module loading hand to
 * bpf_object__open_mem): xctl's whole-object check, then libbpf's parse of
 * the images the check lets through.
 */
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "btf_priv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "fuzz");
	static int once;
	struct xctl_err err = {};
	struct bpf_object *obj;
	void *copy;

	if (!once++)
		libbpf_set_print(NULL);	/* libbpf stays quiet */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!xbtf_check_object(copy, size, "fuzz.o", &err)) {
		obj = bpf_object__open_mem(copy, size, &oo);
		bpf_object__close(obj);
	}
	xctl_err_reset(&err);
	free(copy);
	return 0;
}
