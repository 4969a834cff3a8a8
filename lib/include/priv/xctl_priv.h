/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libxctl's private interface: shared by lib/ folders and used by the xctl
 * CLI (which links the library statically), never installed. Everything
 * declared here has hidden visibility in libxctl.so.
 *
 * It holds the helpers every folder uses (errors, options, bpffs paths,
 * kernel BTF, keyword parsing) and the JSON-shaped calls that build the
 * CLI's result documents. The installed API is lib/include/xctl/.
 */
#ifndef XCTL_PRIV_H
#define XCTL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include "xctl.h"

#ifndef XCTL_VERSION
#error "XCTL_VERSION is defined by the Makefile"
#endif

/* ---- options --------------------------------------------------------- */

/* Field `f` of opts `o` is set if the caller's struct was big enough to hold it. */
#define XCTL_OPT_HAS(o, f)						\
	((o) && (o)->sz >= offsetof(__typeof__(*(o)), f) + sizeof((o)->f))
#define XCTL_OPT(o, f, def) (XCTL_OPT_HAS(o, f) ? (o)->f : (def))

/*
 * libbpf's OPTS_VALID: an opts struct (NULL is fine) must cover its sz
 * field, and every byte beyond the struct this library knows must be zero
 * (else a newer caller asked for something this version cannot do). The
 * bound is sizeof(), as the kernel's bpf_check_uarg_tail_zero() has it,
 * because a caller's trailing padding need not be zero; so a field added
 * later never goes into the padding of an older version (see
 * xctl_common.h). 0, or -EINVAL with err filled.
 */
int xctl_opts_check(const void *opts, size_t sz, size_t known, const char *type,
		    struct xctl_err *err);
#define XCTL_OPTS_CHECK(opts, type, err)					\
	((opts) ? xctl_opts_check((opts), (opts)->sz, sizeof(struct type),	\
				  #type, (err))					\
		: 0)

/* ---- errors --------------------------------------------------------- */

/* Return value of a public function: a negative errno is also set in errno. */
static inline int xctl_ret(int r)
{
	if (r < 0)
		errno = -r;
	return r;
}

/*
 * Set what failed and the errno (also in errno); returns -errnum for
 * `return xctl_errf(...)`.
 */
int xctl_errf(struct xctl_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Replace the "why" text (default: strerror(errnum)). */
void xctl_err_why(struct xctl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xctl_err_hint(struct xctl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A hint the caller may word itself: the code, what it names (arg0/arg1,
 * NULL when unused) and the neutral text.
 */
void xctl_err_hint_code(struct xctl_err *e, enum xctl_hint code, const char *arg0,
			const char *arg1, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Attach a log (copied). */
void xctl_err_log(struct xctl_err *e, const char *log);

/* ---- kernel logs ------------------------------------------------------ */

/*
 * The kernel's log of one object load (verifier messages): xctl_klog_init()
 * allocates the buffer and points the open opts at it (oo may be NULL);
 * after a failed load xctl_klog_attach() copies a non-empty log into err.
 */
struct bpf_object_open_opts;
struct xctl_klog {
	char *buf;
};
int xctl_klog_init(struct xctl_klog *l, struct bpf_object_open_opts *oo);
void xctl_klog_attach(const struct xctl_klog *l, struct xctl_err *err);
void xctl_klog_free(struct xctl_klog *l);
/*
 * The verdict of the last program load log in a libbpf-formatted log ("libbpf:
 * prog 'NAME': -- BEGIN PROG LOAD LOG --"): the program's name and the last
 * line of the verifier's log that is not statistics (e.g. "R0 !read_ok",
 * "attach to unsupported member get_info of struct tcp_congestion_ops").
 * False when the log has none.
 */
bool xctl_log_verdict(const char *log, char *prog, size_t plen, char *line, size_t llen);
/* The same verdict line in the kernel's own log (struct xctl_klog's text). */
bool xctl_klog_verdict(const char *log, char *line, size_t llen);

/* ---- bpffs ------------------------------------------------------------ */

/* True if path is on a bpffs (statfs magic). */
bool xctl_is_bpffs(const char *path);
/* out = base/rel; rel must not be absolute or contain "..". */
int xctl_bpffs_path(const struct xctl_bpffs *fs, const char *rel, char *out,
		    size_t outsz, struct xctl_err *err);
/* Check that path (to be created) is on bpffs and below fs->base. */
int xctl_bpffs_check_pin(const struct xctl_bpffs *fs, const char *path,
			 struct xctl_err *err);
/* mkdir -p of base/rel (mode 0700), all of it inside base. */
int xctl_bpffs_mkdir(const struct xctl_bpffs *fs, const char *rel,
		     struct xctl_err *err);

/* ---- libbpf versions ---------------------------------------------------- */

/*
 * The libbpf xctl runs with, and what differs between libbpf versions
 * (lib/core/libbpf_ver.c, the one place that knows them).
 */
struct xctl_libbpf {
	unsigned int major, minor;
	int patch;			/* -1 when unknown */
	unsigned int built_major;	/* the headers xctl was built with */
	unsigned int built_minor;
	char version[32];		/* "1.4.6" ("1.4" when the patch is unknown) */
	bool reads_sops_link_sec;	/* knows `.struct_ops.link` (1.2+) */
	bool reads_sops_opt_sec;	/* knows `?.struct_ops`, `?.struct_ops.link` (1.4+) */
};

const struct xctl_libbpf *xctl_libbpf(void);

/* ---- network namespaces ------------------------------------------------ */

/*
 * Move the calling thread into network namespace NAME (/run/netns/NAME) or
 * the namespace file at a path (NAME holds a '/').
 */
int xctl_netns_enter(const char *name, struct xctl_err *err);

/* ---- kernel BTF ------------------------------------------------------- */

/* Kernel BTF (vmlinux), loaded once per process and owned by the library. */
struct btf;
struct btf *xctl_kernel_btf(struct xctl_err *err);

/*
 * Whether sysctl kernel.bpf_stats_enabled is 1 (the kernel counts program
 * runs and run time), read at each call, never cached; unreadable means
 * false. A BPF_ENABLE_STATS fd held by some process also turns counting on
 * without showing here.
 */
bool xctl_bpf_stats_enabled(void);
/*
 * Turn run-time statistics on for as long as the returned fd is open
 * (BPF_ENABLE_STATS with BPF_STATS_RUN_TIME, as bpftop does): closing it,
 * or the process ending in any way, lets the kernel drop back to the
 * sysctl's setting. Returns the fd or -errno (EPERM without
 * CAP_SYS_ADMIN; EINVAL before Linux 5.8).
 */
int xctl_bpf_stats_enable(struct xctl_err *err);

/* ---- parsing ------------------------------------------------------------ */

/* arg equals keyword or is a non-empty prefix of it. */
bool xctl_is_prefix(const char *arg, const char *keyword);
/*
 * Index of the keyword of words[] (NULL-terminated) that arg names exactly or
 * as a unique prefix; -1 if none, -2 if ambiguous.
 */
int xctl_keyword_index(const char *arg, const char *const *words);
/* Unsigned decimal or 0x hex, whole string, no sign; -EINVAL / -ERANGE. */
int xctl_parse_u64(const char *s, uint64_t *out);
int xctl_parse_u32(const char *s, uint32_t *out);
/*
 * Split a line of a batch or configuration file into words, as a shell
 * would for simple commands: blanks separate words, '...' quotes literally,
 * "..." quotes with \" and \\ escaped, a backslash outside quotes escapes
 * the next character, and a word starting with # begins a comment that
 * runs to the end of the line. *argv is one malloc'd block (free() it),
 * NULL-terminated; an empty line or comment gives *argc 0. -EINVAL for an
 * unterminated quote or a trailing backslash.
 */
int xctl_split_words(const char *line, int *argc, char ***argv,
		     struct xctl_err *err);

/* ---- control maps: JSON and key grammar for the CLI, building blocks ----- */

/*
 * The key of a BPF object type's `name NAME` or `pinned PATH` (kw "name"
 * or "pinned"); -ENOENT (or another -errno) with err when it names nothing.
 * The key grammar itself is parsed by the CLI (cli/args.c).
 */
int xctl_ctl_resolve(struct xctl_ctl *c, const char *kw, const char *arg, uint32_t *key,
		     struct xctl_err *err);


/* ---- building blocks, exported for tests ---------------------------------- */

/*
 * A struct of one __u64 member per name (ethtool string sets), named `name`,
 * added to btf. Member names are the strings made into C identifiers: every
 * character outside [A-Za-z0-9_] becomes '_', a leading digit gets a '_'
 * prefix, an empty name becomes "_", and a name already used gets "_2",
 * "_3", ... appended. Returns the struct's type id or -errno.
 */
int xctl_ctl_btf_u64_struct(struct btf *btf, const char *name,
			    const char *const *names, size_t n);
/*
 * Copy min(dst_sz, src_sz) bytes and zero the rest of dst: the lookup rule.
 * Returns the number of bytes copied.
 */
size_t xctl_ctl_copy_value(void *dst, size_t dst_sz, const void *src, size_t src_sz);
/* The C identifier for one name (the rule above without deduplication). */
void xctl_ctl_ident(const char *s, char *out, size_t outsz);
/*
 * Deep-copy type id of src (and everything it references) into dst, pointers
 * replaced by `void *`. Returns the id in dst or -errno.
 */
int xctl_ctl_btf_copy(struct btf *dst, const struct btf *src, uint32_t id);


/* ---- struct_ops: JSON for the CLI ------------------------------------------ */

/* Map id of `id N | name NAME | pinned PATH` (name must be unique). */
int xctl_sops_resolve(const char *kw, const char *arg, uint32_t *map_id,
		      struct xctl_err *err);

/* JSON of one inventory entry (the `struct_ops list` schema). */
json_t *xctl_sops_map_json(const struct xctl_sops_map *m);
/*
 * Decoded struct_ops flags of a kind: ["non_restricted", "needs_ecn", ...],
 * unknown bits as "0x..." strings. A new JSON array.
 */
json_t *xctl_sops_flags_json(const char *kind, uint32_t flags);


/*
 * The value of a struct_ops map, struct bpf_struct_ops_<kind> of the kernel
 * BTF, rendered by xctl_btf_to_json (function pointers: program id + name).
 */
int xctl_sops_value_json(uint32_t map_id, json_t **out, struct xctl_err *err);


struct xctl_sops_register_opts {
	size_t sz;
	/* Where to pin the links: NULL is <base>/struct_ops; must be below base. */
	const char *pin_dir;
	const struct xctl_sops_rename *renames;
	size_t rename_cnt;
	/* Register the legacy way (also chosen when the kernel lacks links). */
	bool legacy;
	/* Register only these maps (see xctl_sops_open_opts). */
	const char *const *maps;
	size_t map_cnt;
	/* TCP_CONG_NON_RESTRICTED in every tcp_congestion_ops value. */
	bool non_restricted;
};

/*
 * Register every struct_ops map of obj_path through a link pinned at
 * <pin_dir>/<map name>, all or nothing: on failure everything registered or
 * pinned so far is undone. *out: JSON array of {map, kind, ops_name, map_id,
 * link_id, pinned, legacy} (link_id/pinned null for legacy registrations).
 */
int xctl_sops_register(const struct xctl_bpffs *fs, const char *obj_path,
		       const struct xctl_sops_register_opts *opts, json_t **out,
		       struct xctl_err *err);
/*
 * Unregister map_id: link-based maps by detaching their links (6.11+) and
 * removing their pins below fs->base; legacy maps by deleting the element.
 * -ENOENT when it is not registered, -EBUSY when a module owns it or a pin
 * xctl does not own keeps it registered (err names it). *out: JSON object
 * {id, name, kind, ops_name, legacy, links: [{id, detached, unpinned,
 * pinned}]}: `unpinned` lists the pins removed, `pinned` those left in place
 * (outside xctl's directory).
 */
int xctl_sops_unregister(const struct xctl_bpffs *fs, uint32_t map_id, json_t **out,
			 struct xctl_err *err);

/* ---- modules: JSON for the CLI --------------------------------------------- */

/*
 * lsmod: array of {name, state, object, sha256, loaded_at, params,
 * struct_ops: [{kind, ops_name, map_id, link_id, users}], users}; state is
 * "loaded", "incomplete", "detached" or, for struct_ops registered outside
 * xctl, "unmanaged". fs may be NULL (no bpffs: only unmanaged entries).
 */
int xctl_module_list(const struct xctl_bpffs *fs, json_t **out,
		     struct xctl_err *err);
/*
 * The same from a struct_ops inventory the caller took with
 * xctl_sops_list_get() (the exporter shares one between modules and
 * struct_ops).
 */
int xctl_module_list_from(const struct xctl_bpffs *fs, const struct xctl_sops_list *inv,
			  json_t **out, struct xctl_err *err);

/*
 * One module's entry of xctl_module_list(), from its own directory and its
 * own struct_ops maps only (no inventory of the host): what load and reload
 * report. -ENOENT when NAME is not loaded.
 */
int xctl_module_show(const struct xctl_bpffs *fs, const char *name, json_t **out,
		     struct xctl_err *err);
/* The struct_ops maps with these ids, without links or pins. */
int xctl_sops_list_get_ids(struct xctl_sops_list *l, const uint32_t *ids, size_t n,
			   struct xctl_err *err);

/*
 * The programs a struct_ops map's value points at: [{id, name, tag,
 * run_cnt, run_time_ns, member}] (the program JSON of xdp stats; run figures
 * null unless kernel.bpf_stats_enabled; member: the struct_ops member it
 * implements). One map lookup and one bpf_prog_info per program.
 */
int xctl_sops_map_progs(uint32_t map_id, json_t **out, struct xctl_err *err);


/* modinfo of a loaded module (parameter values read back from the kernel). */
int xctl_module_info(const struct xctl_bpffs *fs, const char *name,
		     json_t **out, struct xctl_err *err);
/*
 * modinfo of an object file (values null). Each struct_ops map says whether
 * a load with maps[] (all when map_cnt is 0) registers it ("register"), its
 * section and flags, and the members the kernel requires that it leaves
 * unset ("unset_required", null when none or unknown).
 */
int xctl_module_obj_info(const char *obj_path, const char *const *maps, size_t map_cnt,
			 json_t **out, struct xctl_err *err);


#include "xctl_xdp.h"
#include "xctl_apply.h"

#endif /* XCTL_PRIV_H */
