/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verbs of the `xdp` object implemented outside cli/xdp.c: stats, show and
 * features of many devices (cli/xdp_stats.c), redirect targets
 * (cli/xdp_redirect.c), attach/detach (cli/xdp_attach.c) and metadata
 * (cli/xdp_metadata.c). cli/xdp.c lists them in its command table.
 */
#ifndef XCTL_CLI_XDP_CMDS_H
#define XCTL_CLI_XDP_CMDS_H

int do_xdp_stats(int argc, char **argv);
int do_xdp_show(int argc, char **argv);
int do_xdp_features(int argc, char **argv);
int do_xdp_redirect(int argc, char **argv);
int do_xdp_metadata(int argc, char **argv);
int do_xdp_attach(int argc, char **argv);
int do_xdp_detach(int argc, char **argv);

/*
 * Consume a device argument, `DEV` or `ifindex N`, from argc/argv. Returns
 * 0, EXIT_USAGE after reporting a usage error, or EXIT_FAIL after reporting
 * that the device does not exist.
 */
int xdp_dev_arg(int *argc, char ***argv, int *ifindex, const char *verb);

/*
 * xdp stats --watch (cli/xdp_watch.c): read q every interval seconds, count
 * times (0: until interrupted), printing rates and totals. Returns the exit
 * status.
 */
struct xctl_xdp_query;
int xdp_watch(struct xctl_xdp_query *q, double interval, uint64_t count);

#endif /* XCTL_CLI_XDP_CMDS_H */
