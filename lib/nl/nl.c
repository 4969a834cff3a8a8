// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The netlink socket and request helper (lib/nl/nl.h): one request, every
 * reply message to the caller's callback, the kernel's error as -errno,
 * including the error a dump reports in its NLMSG_DONE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "nl.h"

int xctl_nl_open(struct xctl_nl *nl, int proto)
{
	int r;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(XCTL_NL_RCVBUF);
	if (!nl->buf)
		return -ENOMEM;
	nl->sk = mnl_socket_open2(proto, SOCK_CLOEXEC);
	if (!nl->sk) {
		r = -errno;
		goto fail;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	return 0;
fail:
	xctl_nl_close(nl);
	return r;
}

void xctl_nl_close(struct xctl_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

struct nlmsghdr *xctl_nl_msg(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, XCTL_NL_MSGBUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

struct nlmsghdr *xctl_nl_genl_msg(void *buf, uint16_t family, uint8_t cmd,
				  uint16_t flags)
{
	struct nlmsghdr *nlh = xctl_nl_msg(buf, family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/*
 * Control messages (libmnl runs none of its defaults once a table is given):
 * NLMSG_ERROR is the ACK (error 0) or the request's error, NLMSG_DONE ends a
 * dump and carries its error (an int, negative errno) when the dump failed.
 */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int v;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
		if (v < 0) {
			errno = -v;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

int xctl_nl_talk(struct xctl_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
		[NLMSG_OVERRUN] = overrun_cb,
	};
	ssize_t n;
	int r;

	/* A request that is not a dump ends with the ACK (or the error). */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sk, nl->buf, XCTL_NL_RCVBUF);
		if (n < 0)
			return -errno;
		errno = 0;
		r = mnl_cb_run2(nl->buf, (size_t)n, nl->seq, nl->portid, cb, data,
				ctl, NLMSG_MIN_TYPE);
		if (r < 0)
			return errno ? -errno : -EIO;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

static const struct xctl_nl_pol family_pol[CTRL_ATTR_FAMILY_ID + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16 },
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_FAMILY_ID + 1];
	uint16_t *id = data;

	if (xctl_nl_parse(nlh, sizeof(struct genlmsghdr), family_pol,
			  CTRL_ATTR_FAMILY_ID, tb, NULL)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (tb[CTRL_ATTR_FAMILY_ID])
		*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return MNL_CB_OK;
}

int xctl_nl_genl_family(struct xctl_nl *nl, const char *name, uint16_t *id)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	int r;

	*id = 0;
	nlh = xctl_nl_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	r = xctl_nl_talk(nl, nlh, family_cb, id);
	if (r)
		return r;
	return *id ? 0 : -ENOENT;
}
