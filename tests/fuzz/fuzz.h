/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses (make fuzz) and their replay build
 * (make check runs every file of tests/fuzz/regressions/<harness>/ through
 * the same LLVMFuzzerTestOneInput, compiled without libFuzzer).
 */
#ifndef XCTL_FUZZ_H
#define XCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Consume a little-endian u32 from the front of the input (0 when short). */
static inline uint32_t fz_u32(const uint8_t **data, size_t *size)
{
	uint32_t v = 0;

	if (*size >= 4) {
		memcpy(&v, *data, 4);
		*data += 4;
		*size -= 4;
	}
	return v;
}

#endif
