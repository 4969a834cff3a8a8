// SPDX-License-Identifier: GPL-2.0
/*
 * BTF walking and C declarations: input = u32 type id, u32 BTF length, raw
 * BTF, then the value bytes. The walker renders the value as JSON, the CLI's
 * renderer turns that into text, and the type is declared in C
 * (xctl_btf_c_decl, bounded output).
 */
#include <stdlib.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "json_text.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	XCTL_OPTS(xctl_btf_dump_opts, dopts, .flags = 0);
	uint32_t id = fz_u32(&data, &size), blen = fz_u32(&data, &size);
	struct xctl_err err = {};
	struct btf *btf;
	json_t *j = NULL;
	char *text = NULL;

	if (blen > size)
		blen = size;
	btf = btf__new(data, blen);
	if (!btf)
		return 0;
	data += blen;
	size -= blen;
	if (!xctl_btf_to_json(btf, id, data, size, &dopts, &j, &err)) {
		free(xctl_json_to_text(j, 0));
		json_decref(j);
	}
	xctl_err_reset(&err);
	if (!xctl_btf_c_decl(btf, id, &text, &err))
		free(text);
	xctl_err_reset(&err);
	btf__free(btf);
	return 0;
}
