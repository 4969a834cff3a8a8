// SPDX-License-Identifier: GPL-2.0
/*
 * xctl exporter: XDP counters, program statistics, modules and struct_ops
 * for Prometheus, printed once (node_exporter's textfile collector) or
 * served over HTTP by libmicrohttpd. The server is read-only: it answers
 * GET and HEAD of / and /metrics and nothing else.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include "cli.h"
#include "exporter.h"
#include "metrics.h"

/*
 * The default port. Prometheus' list of default port allocations
 * (github.com/prometheus/prometheus/wiki/Default-port-allocations) filled
 * its original 9100-9999 range; see xctl-exporter(8) for the choice.
 */
#define EXPORTER_PORT		10180
#define EXPORTER_PORT_STR	"10180"

static const char *const exporter_help =
	"Usage: xctl exporter [--listen [ADDR:]PORT] [--collect LIST]\n"
	"       xctl exporter --once [--openmetrics] [--collect LIST]\n"
	"       xctl exporter help\n"
	"\n"
	"LIST := { xdp | prog | module | struct_ops }[,...]   (default: all)\n"
	"\n"
	"Prometheus metrics of this network namespace (-N NETNS): normalised XDP\n"
	"counters per device, run statistics of XDP and struct_ops programs, xctl\n"
	"modules and struct_ops registrations, and the health of each collector.\n"
	"\n"
	"--listen   serve GET /metrics over HTTP (text format 0.0.4, or OpenMetrics\n"
	"           1.0.0 when the scraper's Accept header asks for it); default\n"
	"           127.0.0.1:" EXPORTER_PORT_STR ", loopback only. ADDR is an IPv4 or a\n"
	"           [bracketed] IPv6 address; PORT 0 picks a free port. The address\n"
	"           served is printed on stdout (a JSON object with -j).\n"
	"--once     print one exposition (text format 0.0.4) on stdout and exit,\n"
	"           for node_exporter's textfile collector; --openmetrics prints\n"
	"           OpenMetrics 1.0.0 instead; -j prints the metric families as JSON.\n"
	"--collect  the collectors to run (comma-separated, unique prefixes).\n"
	"\n"
	"See xctl-exporter(8) for the metrics and systemd examples.\n";

static int do_exporter_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(exporter_help);
}

struct exporter_args {
	bool once, openmetrics, listen_given;
	const char *listen;
	unsigned int collect;
};

static int parse_collect(const char *arg, unsigned int *mask)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int idx, r = 0;

	if (!copy)
		return usage_error("out of memory");
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		idx = keyword_index(tok, collector_names);
		if (idx < 0) {
			r = usage_error("%s collector '%s' (expected: xdp, prog, module, struct_ops)",
					idx == -2 ? "ambiguous" : "unknown", tok);
			break;
		}
		*mask |= 1U << idx;
	}
	free(copy);
	if (!r && !*mask)
		r = usage_error("--collect needs at least one collector");
	return r;
}

static int parse_args(int argc, char **argv, struct exporter_args *a)
{
	memset(a, 0, sizeof(*a));
	a->collect = (1U << COL_MAX) - 1;
	a->listen = "127.0.0.1:" EXPORTER_PORT_STR;
	while (argc > 0) {
		const char *o = argv[0];

		if (!strcmp(o, "--once")) {
			a->once = true;
		} else if (!strcmp(o, "--openmetrics")) {
			a->openmetrics = true;
		} else if (!strcmp(o, "--listen")) {
			if (argc < 2)
				return usage_error("--listen needs [ADDR:]PORT");
			a->listen = argv[1];
			a->listen_given = true;
			NEXT_ARG();
		} else if (!strcmp(o, "--collect")) {
			if (argc < 2)
				return usage_error("--collect needs a list of collectors");
			if (parse_collect(argv[1], &a->collect))
				return EXIT_USAGE;
			NEXT_ARG();
		} else {
			return usage_error("unknown argument '%s' for 'exporter' (see 'xctl exporter help')", o);
		}
		NEXT_ARG();
	}
	if (a->once && a->listen_given)
		return usage_error("give --once or --listen, not both");
	if (a->openmetrics && !a->once)
		return usage_error("--openmetrics goes with --once (over HTTP the scraper's Accept header chooses)");
	if (a->openmetrics && json_output)
		return usage_error("-j prints the metric families as JSON; --openmetrics prints an exposition: give one");
	return 0;
}

/* ---- --once ------------------------------------------------------------ */

static int run_once(struct exporter *e, const struct exporter_args *a)
{
	enum metrics_format fmt = json_output ? METRICS_JSON :
				  a->openmetrics ? METRICS_OPENMETRICS : METRICS_TEXT;
	struct xctl_err err = {};
	struct metrics m;
	json_t *doc;
	size_t len;
	char *buf;

	if (metrics_open(&m, fmt) || exporter_scrape(e, &m)) {
		metrics_discard(&m);
		xctl_errf(&err, ENOMEM, "cannot collect the metrics");
		return fail(&err);
	}
	buf = metrics_finish(&m, &len, &doc);
	if (fmt == METRICS_JSON && doc)
		return emit(doc, NULL);
	if (!buf) {
		xctl_errf(&err, ENOMEM, "cannot render the metrics");
		return fail(&err);
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout)) {
		xctl_errf(&err, errno ? errno : EIO, "cannot write the metrics to stdout");
		free(buf);
		return fail(&err);
	}
	free(buf);
	return EXIT_OK;
}

/* ---- HTTP ---------------------------------------------------------------- */

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned int status,
			       const char *type, char *body, size_t len, bool owned)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	resp = MHD_create_response_from_buffer(len, body, owned ? MHD_RESPMEM_MUST_FREE :
					       MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		if (owned)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	r = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

#define STATIC_BODY(conn, status, type, text) \
	respond(conn, status, type, (char *)(text), sizeof(text) - 1, false)

static const char index_page[] =
	"<!DOCTYPE html>\n"
	"<html><head><title>xctl exporter</title></head>\n"
	"<body><h1>xctl exporter</h1>\n"
	"<p>XDP counters, BPF program statistics, xctl modules and struct_ops\n"
	"for Prometheus (xctl " XCTL_VERSION ").</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

static enum MHD_Result serve_metrics(struct exporter *e, struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	bool om = metrics_negotiate(accept) == METRICS_OPENMETRICS;
	struct metrics m;
	char *buf = NULL;
	json_t *doc;
	size_t len = 0;

	pthread_mutex_lock(&e->lock);
	if (!metrics_open(&m, om ? METRICS_OPENMETRICS : METRICS_TEXT)) {
		if (!exporter_scrape(e, &m))
			buf = metrics_finish(&m, &len, &doc);
		else
			metrics_discard(&m);
	}
	pthread_mutex_unlock(&e->lock);
	if (!buf)
		return STATIC_BODY(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
				   "cannot collect the metrics: out of memory\n");
	return respond(conn, MHD_HTTP_OK, om ? METRICS_OM_TYPE : METRICS_TEXT_TYPE,
		       buf, len, true);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return STATIC_BODY(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
				   "method not allowed: the exporter is read-only (GET, HEAD)\n");
	if (!strcmp(url, "/metrics"))
		return serve_metrics(cls, conn);
	if (!strcmp(url, "/"))
		return STATIC_BODY(conn, MHD_HTTP_OK, "text/html; charset=utf-8", index_page);
	return STATIC_BODY(conn, MHD_HTTP_NOT_FOUND, "text/plain",
			   "not found: the metrics are at /metrics\n");
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (quiet_output)
		return;
	fputs("xctl: exporter: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* [ADDR:]PORT, ADDR an IPv4 address, "localhost" or a [bracketed] IPv6 one. */
static int parse_listen(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
	const char *colon = strrchr(arg, ':'), *port = arg;
	uint32_t p;

	memset(ss, 0, sizeof(*ss));
	if (colon) {
		size_t n = (size_t)(colon - arg);

		if (arg[0] == '[') {
			if (n < 2 || arg[n - 1] != ']')
				return usage_error("'%s': write an IPv6 address as [ADDR]:PORT", arg);
			arg++;
			n -= 2;
		}
		if (!n || n >= sizeof(host))
			return usage_error("'%s' is not ADDR:PORT", arg);
		memcpy(host, arg, n);
		host[n] = '\0';
		port = colon + 1;
	}
	if (parse_u32(port, &p) || p > 65535)
		return usage_error("'%s' is not a port number (0-65535)", port);
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)p);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*in6);
		return 0;
	}
	return usage_error("'%s' is not an IP address (names other than localhost are not resolved)",
			   host);
}

/* The listening socket; its bound address (with the real port) in *ss. */
static int open_listener(const char *arg, struct sockaddr_storage *ss, socklen_t *len,
			 struct xctl_err *err)
{
	int fd, one = 1;

	/* SO_REUSEADDR: a restarted exporter gets its port back at once */
	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot create a socket to listen on %s", arg);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)ss, *len) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)ss, len)) {
		int e = errno;

		xctl_errf(err, e, "cannot listen on %s", arg);
		if (e == EADDRINUSE)
			xctl_err_hint(err, "another program has that port: pick another with --listen ADDR:PORT");
		else if (e == EADDRNOTAVAIL)
			xctl_err_hint(err, "the address is not one of this network namespace's (-N NETNS)");
		close(fd);
		return -1;
	}
	return fd;
}

static int announce(const struct sockaddr_storage *ss)
{
	char addr[INET6_ADDRSTRLEN], hostport[INET6_ADDRSTRLEN + 8];
	unsigned int port;
	bool v6 = ss->ss_family == AF_INET6;

	if (v6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, addr, sizeof(addr));
		port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, addr, sizeof(addr));
		port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	}
	snprintf(hostport, sizeof(hostport), v6 ? "[%s]:%u" : "%s:%u", addr, port);
	if (json_output) {
		emit(json_pack("{s:s, s:s, s:i, s:s++}", "listen", hostport, "address", addr,
			       "port", (int)port, "url", "http://", hostport, "/metrics"), NULL);
	} else {
		printf("xctl exporter: serving http://%s/metrics\n", hostport);
	}
	return fflush(stdout);
}

static int run_server(struct exporter *e, const struct exporter_args *a)
{
	struct sockaddr_storage ss;
	struct xctl_err err = {};
	struct MHD_Daemon *d;
	socklen_t len;
	sigset_t set, old;
	int fd, sig, r;

	r = parse_listen(a->listen, &ss, &len);
	if (r)
		return r;
	fd = open_listener(a->listen, &ss, &len, &err);
	if (fd < 0)
		return fail(&err);
	/* Threads inherit the mask: only sigwait() below sees SIGINT/SIGTERM. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, e,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_LIMIT, 64U,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30U,
			     MHD_OPTION_END);
	if (!d) {
		xctl_errf(&err, errno ? errno : EINVAL, "cannot start the HTTP server on %s", a->listen);
		close(fd);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return fail(&err);
	}
	announce(&ss);
	while (sigwait(&set, &sig))
		;
	MHD_stop_daemon(d);	/* closes the listening socket too */
	/* as it was: a batch file goes on after the server (its SIGTERM taken) */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return EXIT_OK;
}

int do_exporter(int argc, char **argv)
{
	struct exporter e = {};
	struct exporter_args a;
	int r;

	if (argc > 0 && (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") ||
			 !strcmp(argv[0], "-h")))
		return do_exporter_help(argc - 1, argv + 1);
	r = parse_args(argc, argv, &a);
	if (r)
		return r;
	e.collect = a.collect;
	e.bpffs = bpffs_dir;
	pthread_mutex_init(&e.lock, NULL);
	r = a.once ? run_once(&e, &a) : run_server(&e, &a);
	pthread_mutex_destroy(&e.lock);
	return r;
}
