// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The attribute-table parser (lib/nl/nl.h): every attribute xctl reads from
 * the kernel is checked against a policy before anyone looks at its
 * payload, as the kernel's nla_parse() checks what user space sends.
 * Unknown attribute types are skipped, so a newer kernel's additions do not
 * break an older xctl; a malformed message is refused as a whole.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "nl.h"

static int check(const struct nlattr *a, const struct xctl_nl_pol *p)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *s;

	switch (p->type) {
	case MNL_TYPE_NUL_STRING:
		s = mnl_attr_get_payload(a);
		if (!len || s[len - 1] || (p->len && len > p->len))
			return -EINVAL;
		return 0;
	case MNL_TYPE_BINARY:
		return len < p->len ? -EINVAL : 0;
	default:
		/* fixed sizes, FLAG, STRING and NESTED as libmnl checks them */
		return mnl_attr_validate(a, p->type) < 0 ? -EINVAL : 0;
	}
}

int xctl_nl_parse_buf(const void *buf, size_t len, const struct xctl_nl_pol *pol,
		      uint16_t max, const struct nlattr **tb, int *bad_type)
{
	const char *p = buf;
	size_t off = 0;

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	if (bad_type)
		*bad_type = -1;
	while (len - off >= MNL_ATTR_HDRLEN) {
		const struct nlattr *a = (const void *)(p + off);
		uint16_t type = mnl_attr_get_type(a);

		/* A length below the header or past the end: truncated. */
		if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - off) {
			if (bad_type)
				*bad_type = type;
			return -EINVAL;
		}
		if (type <= max && pol[type].type != MNL_TYPE_UNSPEC) {
			if (check(a, &pol[type])) {
				if (bad_type)
					*bad_type = type;
				return -EINVAL;
			}
			tb[type] = a;
		}
		off += MNL_ALIGN(a->nla_len);
		if (off >= len)
			return 0;
	}
	/* Bytes left that cannot hold an attribute header. */
	return off == len ? 0 : -EINVAL;
}

int xctl_nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		  const struct xctl_nl_pol *pol, uint16_t max,
		  const struct nlattr **tb, int *bad_type)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN || len < hdrlen) {
		memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
		if (bad_type)
			*bad_type = -1;
		return -EINVAL;
	}
	hdrlen = MNL_ALIGN(hdrlen);
	if (hdrlen > len)
		hdrlen = len;
	return xctl_nl_parse_buf((const char *)mnl_nlmsg_get_payload(nlh) + hdrlen,
				 len - hdrlen, pol, max, tb, bad_type);
}

int xctl_nl_parse_nested(const struct nlattr *nest, const struct xctl_nl_pol *pol,
			 uint16_t max, const struct nlattr **tb, int *bad_type)
{
	return xctl_nl_parse_buf(mnl_attr_get_payload(nest),
				 mnl_attr_get_payload_len(nest), pol, max, tb, bad_type);
}

void xctl_nl_strcpy(char *dst, size_t len, const struct nlattr *a)
{
	snprintf(dst, len, "%s", a ? mnl_attr_get_str(a) : "");
}
