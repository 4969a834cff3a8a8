/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The netlink substrate of lib/ (not public): one socket and request helper
 * on libmnl for rtnetlink and generic netlink, one validating attribute
 * parser, and the generic netlink family resolver. Every netlink message
 * xctl sends or reads goes through here.
 *
 * A request is sent with xctl_nl_talk(), which reads replies until the
 * dump's NLMSG_DONE or the request's ACK, passing every data message to the
 * caller's callback; the callback parses attributes with xctl_nl_parse()
 * against a policy table, the way the kernel's nla_parse() does.
 */
#ifndef XCTL_NL_H
#define XCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct xctl_err;

/*
 * Receive buffer size: large enough for any message the kernel puts in a
 * dump skb (it sizes them after our buffer, up to 32 KiB as iproute2 uses);
 * a larger message fails the request with -ENOSPC, never silently.
 */
#define XCTL_NL_RCVBUF	32768
/* Room for one request message we build. */
#define XCTL_NL_MSGBUF	1024

/* One netlink socket of one protocol (NETLINK_ROUTE, NETLINK_GENERIC). */
struct xctl_nl {
	struct mnl_socket *sk;
	unsigned int portid;
	uint32_t seq;
	char *buf;		/* XCTL_NL_RCVBUF bytes */
};

/* Open and bind a socket of protocol proto; 0 or -errno. */
int xctl_nl_open(struct xctl_nl *nl, int proto);
void xctl_nl_close(struct xctl_nl *nl);

/* A request header (type, NLM_F_REQUEST | flags) in buf (XCTL_NL_MSGBUF). */
struct nlmsghdr *xctl_nl_msg(void *buf, uint16_t type, uint16_t flags);
/* The same, followed by a genlmsghdr with cmd, for generic netlink family. */
struct nlmsghdr *xctl_nl_genl_msg(void *buf, uint16_t family, uint8_t cmd,
				  uint16_t flags);

/*
 * Send nlh (its sequence number is set here) and run cb, when not NULL, on
 * every data message of the reply until NLMSG_DONE (a dump) or the ACK (ask
 * for one with NLM_F_ACK on requests that are not dumps). Returns 0, the
 * kernel's -errno, a callback's failure (MNL_CB_ERROR with errno set, EIO if
 * not), or -ENOSPC for a message larger than the receive buffer.
 */
int xctl_nl_talk(struct xctl_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * The id of generic netlink family name, asked on nl (a NETLINK_GENERIC
 * socket): 0, -ENOENT when the kernel has no such family, or -errno.
 */
int xctl_nl_genl_family(struct xctl_nl *nl, const char *name, uint16_t *id);

/* ---- attributes ----------------------------------------------------------- */

/*
 * Policy of one attribute type, as the kernel's struct nla_policy:
 * type is an MNL_TYPE_*; MNL_TYPE_UNSPEC (0) means "not parsed" (the
 * attribute is skipped). Fixed-size types (U8..U64) must have exactly their
 * size; MNL_TYPE_NUL_STRING must be NUL-terminated and, when len is set, at
 * most len bytes with the NUL; MNL_TYPE_BINARY must have at least len bytes;
 * MNL_TYPE_NESTED must be empty or hold at least one attribute header.
 */
struct xctl_nl_pol {
	uint8_t type;
	uint16_t len;
};

/*
 * Parse the attributes that follow `hdrlen` bytes of family header in nlh's
 * payload into tb[0..max] (NULL where absent; the last of repeated
 * attributes wins). Types above max, or with no policy, are skipped:
 * newer kernels add attributes. Returns 0, or -EINVAL (with *bad_type set
 * when bad_type is not NULL) for a message too short for its header, an
 * attribute that overruns the message (truncated), trailing bytes that are
 * no attribute, or an attribute its policy rejects (wrong size or type).
 */
int xctl_nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		  const struct xctl_nl_pol *pol, uint16_t max,
		  const struct nlattr **tb, int *bad_type);
/* The same over a nested attribute's payload. */
int xctl_nl_parse_nested(const struct nlattr *nest, const struct xctl_nl_pol *pol,
			 uint16_t max, const struct nlattr **tb, int *bad_type);
/* The same over a raw attribute stream (len bytes at buf). */
int xctl_nl_parse_buf(const void *buf, size_t len, const struct xctl_nl_pol *pol,
		      uint16_t max, const struct nlattr **tb, int *bad_type);

/* Copy a NUL_STRING attribute into dst (size len); "" when absent. */
void xctl_nl_strcpy(char *dst, size_t len, const struct nlattr *a);

#endif /* XCTL_NL_H */
