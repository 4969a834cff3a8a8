// SPDX-License-Identifier: GPL-2.0
/*
 * Control keys and update assignments: input = u32 type id, u32 BTF length,
 * raw BTF (none: a built-in struct with ints, bitfields, an enum, a char
 * array, a nested struct and an array), then text lines: the first is a key
 * (words; `name NAME` and `pinned PATH` are resolved) for the prog control
 * type, the others FIELD=VALUE assignments
 * applied as `control update` does.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "fuzz.h"

static struct btf *builtin(uint32_t *id)
{
	struct btf *b = btf__new_empty();
	int u32, s8, ch, en, arr, in, outer, u64;

	if (!b)
		return NULL;
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	s8 = btf__add_int(b, "signed char", 1, BTF_INT_SIGNED);
	ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	en = btf__add_enum(b, "mode", 4);
	btf__add_enum_value(b, "SLOW", 0);
	btf__add_enum_value(b, "FAST", 5);
	arr = btf__add_array(b, u32, ch, 8);
	in = btf__add_struct(b, "inner", 16);
	btf__add_field(b, "a", u64, 0, 0);
	btf__add_field(b, "b", s8, 64, 3);
	btf__add_field(b, "c", u32, 96, 0);
	outer = btf__add_struct(b, "outer", 48);
	btf__add_field(b, "x", u32, 0, 0);
	btf__add_field(b, "mode", en, 32, 0);
	btf__add_field(b, "name", arr, 64, 0);
	btf__add_field(b, "in", in, 128, 0);
	btf__add_field(b, "list", btf__add_array(b, u32, u64, 2), 256, 0);
	*id = outer;
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t id = fz_u32(&data, &size), blen = fz_u32(&data, &size);
	static struct xctl_ctl *prog;
	struct xctl_err err = {};
	char *text, *words[8], *p, *line, *save = NULL;
	uint8_t value[64] = {};
	struct btf *btf;
	uint32_t key;
	int n = 0;

	if (!prog && xctl_ctl_open("prog", &prog, &err))
		abort();
	if (blen > size)
		blen = size;
	btf = blen ? btf__new(data, blen) : builtin(&id);
	data += blen;
	size -= blen;
	text = malloc(size + 1);
	if (!btf || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	line = strtok_r(text, "\n", &save);
	if (line) {
		for (p = strtok(line, " "); p && n < 8; p = strtok(NULL, " "))
			words[n++] = p;
		/* the key grammar is the CLI's; lib resolves name/pinned */
		if (n >= 2 && (!strcmp(words[0], "name") || !strcmp(words[0], "pinned")))
			xctl_ctl_resolve(prog, words[0], words[1], &key, &err);
		xctl_err_reset(&err);
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq = '\0';
		xctl_btf_set_member(btf, id, value, sizeof(value), line, eq + 1, &err);
		xctl_err_reset(&err);
	}
out:
	btf__free(btf);
	free(text);
	return 0;
}
