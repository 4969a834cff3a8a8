// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: input = u32 BTF length, raw BTF (the object's, with a
 * .rodata section), u32 image length, the .rodata image, then NAME=VALUE
 * lines. Parameters are set as `module load ... NAME=VALUE` does, and listed
 * with their C types and values as `module info` does.
 */
#include <stdlib.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "module_priv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t blen = fz_u32(&data, &size), ilen;
	struct xctl_err err = {};
	char *text, *kv[16], *p;
	struct btf *btf;
	uint8_t *image;
	json_t *arr;
	size_t n = 0;
	int sec;

	if (blen > size)
		blen = size;
	btf = btf__new(data, blen);
	data += blen;
	size -= blen;
	ilen = fz_u32(&data, &size);
	if (ilen > size)
		ilen = size;
	image = malloc(ilen ? ilen : 1);
	text = malloc(size - ilen + 1);
	if (!btf || !image || !text)
		goto out;
	memcpy(image, data, ilen);
	memcpy(text, data + ilen, size - ilen);
	text[size - ilen] = '\0';
	for (p = strtok(text, "\n"); p && n < 16; p = strtok(NULL, "\n"))
		kv[n++] = p;
	sec = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec <= 0)
		goto out;
	mod_params_set(btf, sec, image, ilen, kv, n, &err);
	xctl_err_reset(&err);
	arr = json_array();
	mod_params_merge(arr, btf, sec, image, ilen, "value", &err);
	xctl_err_reset(&err);
	json_decref(arr);
out:
	btf__free(btf);
	free(image);
	free(text);
	return 0;
}
