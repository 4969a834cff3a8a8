/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xctl exporter`: the collectors behind one scrape (cli/exporter_collect.c)
 * and the command with its HTTP server (cli/exporter.c).
 */
#ifndef XCTL_CLI_EXPORTER_H
#define XCTL_CLI_EXPORTER_H

#include <pthread.h>
#include <stdint.h>
#include <jansson.h>

enum collector {
	COL_XDP,		/* per-device XDP counters, state, redirect readiness */
	COL_PROG,		/* run statistics of the attached XDP programs */
	COL_MODULE,		/* xctl modules */
	COL_STRUCT_OPS,		/* every struct_ops map of the host */
	COL_MAX,
};

/* "xdp", "prog", "module", "struct_ops" (the --collect keywords). */
extern const char *const collector_names[COL_MAX + 1];

struct exporter {
	unsigned int collect;		/* bit per enum collector */
	const char *bpffs;		/* --bpffs (NULL: the default); never mounted */
	/*
	 * The library keeps per-process state (kernel BTF, libbpf's log
	 * buffer), so scrapes run one at a time: lock is held across
	 * collection and rendering. errors[] are cumulative per collector.
	 */
	pthread_mutex_t lock;
	uint64_t errors[COL_MAX];
};

struct metrics;

/*
 * One scrape, with the lock held by the caller, written to out (opened in
 * the format wanted): the families of every selected collector that
 * succeeded, then the scrape health families of all selected collectors. A
 * collector that fails leaves its families out, counts an error and warns on
 * stderr. Returns 0, or -ENOMEM.
 */
int exporter_scrape(struct exporter *e, struct metrics *out);

#endif /* XCTL_CLI_EXPORTER_H */
