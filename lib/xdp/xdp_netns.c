// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Finding the network namespace behind an nsid (IFLA_LINK_NETNSID) and
 * running a step inside it. An nsid only means something relative to the
 * namespace that assigned it, so the lookup asks the current namespace
 * (RTM_GETNSID with NETNSA_FD) about every namespace it can open: the named
 * ones in /run/netns first, then those held by processes
 * (/proc/PID/ns/net), each inode once. A namespace nobody names or holds
 * cannot be opened by anyone, and is reported as such.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "xctl_priv.h"
#include "nl.h"
#include "xdp_priv.h"

static const struct xctl_nl_pol nsid_pol[NETNSA_NSID + 1] = {
	[NETNSA_NSID] = { MNL_TYPE_U32 },
};

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETNSA_NSID + 1];
	int *nsid = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	if (xctl_nl_parse(nlh, sizeof(struct rtgenmsg), nsid_pol, NETNSA_NSID, tb, NULL)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (tb[NETNSA_NSID])
		*nsid = (int)(int32_t)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

/* The nsid the current namespace has for the namespace of fd; -1: none. */
static int nsid_of_fd(struct xctl_nl *nl, int fd, int *nsid)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;

	*nsid = -1;
	nlh = xctl_nl_msg(buf, RTM_GETNSID, 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	return xctl_nl_talk(nl, nlh, nsid_cb, nsid);
}

struct ns_search {
	struct xctl_nl *nl;
	int nsid;
	ino_t self;
	ino_t *seen;
	size_t nseen, cap;
	int fd;			/* the match, -1 until found */
	ino_t ino;
};

/* Check the namespace at path; 1 when it is the one sought (fd kept). */
static int try_path(struct ns_search *s, const char *path)
{
	struct stat st;
	ino_t *n;
	size_t i;
	int fd, id = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || st.st_ino == s->self)
		goto skip;
	for (i = 0; i < s->nseen; i++)
		if (s->seen[i] == st.st_ino)
			goto skip;
	if (s->nseen == s->cap) {
		n = realloc(s->seen, (s->cap ? s->cap * 2 : 64) * sizeof(*n));
		if (!n)
			goto skip;
		s->seen = n;
		s->cap = s->cap ? s->cap * 2 : 64;
	}
	s->seen[s->nseen++] = st.st_ino;
	if (nsid_of_fd(s->nl, fd, &id) || id != s->nsid)
		goto skip;
	s->fd = fd;
	s->ino = st.st_ino;
	return 1;
skip:
	close(fd);
	return 0;
}

static void scan_dir(struct ns_search *s, const char *dir, bool procs)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while (s->fd < 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (procs && (de->d_name[0] < '0' || de->d_name[0] > '9'))
			continue;
		if (snprintf(path, sizeof(path), procs ? "%s/%s/ns/net" : "%s/%s", dir,
			     de->d_name) >= (int)sizeof(path))
			continue;
		try_path(s, path);
	}
	closedir(d);
}

int xdp_netns_find(int nsid, int *fd, uint64_t *ino, struct xctl_err *err)
{
	struct ns_search s = { .nsid = nsid, .fd = -1 };
	struct xctl_nl nl;
	struct stat st;
	int r;

	*fd = -1;
	if (stat("/proc/self/ns/net", &st))
		return xctl_errf(err, errno, "cannot inspect the current network namespace");
	s.self = st.st_ino;
	r = xctl_nl_open(&nl, NETLINK_ROUTE);
	if (r)
		return xctl_errf(err, r, "cannot open a route netlink socket");
	s.nl = &nl;
	scan_dir(&s, "/run/netns", false);
	if (s.fd < 0)
		scan_dir(&s, "/proc", true);
	if (s.fd < 0) {
		r = xctl_errf(err, ENOENT, "cannot find the network namespace of netnsid %d",
			      nsid);
		xctl_err_why(err, "no namespace in /run/netns or held by a process has that id here");
		xctl_err_hint(err, "make it visible under /run/netns (ip netns attach NAME PID, or a bind mount of its nsfs file), or attach an XDP program to the peer from inside its namespace");
		goto out;
	}
	*fd = s.fd;
	*ino = s.ino;
	r = 0;
out:
	free(s.seen);
	xctl_nl_close(&nl);
	return r;
}

int xdp_netns_enter(int fd, int *orig, struct xctl_err *err)
{
	*orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*orig < 0)
		return xctl_errf(err, errno, "cannot open the current network namespace");
	if (setns(fd, CLONE_NEWNET)) {
		int r = xctl_errf(err, errno, "cannot enter the peer's network namespace");

		if (r == -EPERM)
			xctl_err_hint(err, "entering a network namespace needs CAP_SYS_ADMIN (root)");
		close(*orig);
		*orig = -1;
		return r;
	}
	return 0;
}

int xdp_netns_leave(int orig, struct xctl_err *err)
{
	int r = 0;

	if (orig < 0)
		return 0;
	if (setns(orig, CLONE_NEWNET))
		r = xctl_errf(err, errno, "cannot return to the original network namespace");
	close(orig);
	return r;
}
