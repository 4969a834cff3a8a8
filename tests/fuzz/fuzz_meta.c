// SPDX-License-Identifier: GPL-2.0
/*
 * The module meta record reader: a pinned map anyone with access to the
 * bpffs may have put at modules/NAME/meta. Input = u32 value type id, u32
 * BTF length, the map's BTF, then its value; decoded as `module list/info`
 * does (mod_meta_decode) and its fields read.
 */
#include <stdlib.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "module_priv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t id = fz_u32(&data, &size), blen = fz_u32(&data, &size);
	struct xctl_err err = {};
	struct btf *btf;
	json_t *meta = NULL;
	char *s;

	if (blen > size)
		blen = size;
	btf = btf__new(data, blen);
	if (!btf)
		return 0;
	if (!mod_meta_decode(btf, id, data + blen, size - blen, "fuzz", &meta, &err)) {
		s = json_dumps(meta, JSON_COMPACT);
		free(s);
		json_decref(meta);
	}
	xctl_err_reset(&err);
	btf__free(btf);
	return 0;
}
