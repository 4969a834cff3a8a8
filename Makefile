# SPDX-License-Identifier: GPL-2.0
# xctl — see README.md. `make`, `make check`, `make demo`, `make install`.

VERSION		:= 0.1.0
PREFIX		?= /usr/local
DESTDIR		?=
BINDIR		:= $(PREFIX)/sbin
MANDIR		:= $(PREFIX)/share/man/man8
MAN3DIR		:= $(PREFIX)/share/man/man3
MAN5DIR		:= $(PREFIX)/share/man/man5
# The unit that runs `xctl apply` at boot. The example BPF objects live
# where architecture-dependent files go (BPF bytecode follows the build
# host's endianness and kernel headers), linked from DATADIR, the path the
# documentation uses.
SYSTEMDUNITDIR	?= $(PREFIX)/lib/systemd/system
BPFOBJDIR	?= $(PREFIX)/lib/xctl
DATADIR		?= $(PREFIX)/share/xctl
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
SCHEMADIR	:= $(PREFIX)/share/xctl/schema
COMPLDIR	?= $(PREFIX)/share/bash-completion/completions

CC		?= gcc
CLANG		?= clang
BPFTOOL		?= bpftool
RST2MAN		?= rst2man
VMLINUX_BTF	?= /sys/kernel/btf/vmlinux

# LIBBPF_DIR=DIR builds against a libbpf unpacked under DIR as `dpkg -x`
# lays out libbpf1 and libbpf-dev (DIR/usr/include/bpf/,
# DIR/usr/lib/<multiarch>/), with an rpath so ./xctl runs with that library
# (tools/libbpf-backports.sh fetches bookworm-backports' one). Default: the
# distribution's libbpf through pkg-config.
LIBBPF_DIR	?=
PKGS		:= jansson libmnl libelf zlib libcrypto libmicrohttpd
ifeq ($(LIBBPF_DIR),)
PKGS		+= libbpf
LIBBPF_CFLAGS	:=
LIBBPF_LIBS	:=
else
LIBBPF_ABS	:= $(abspath $(LIBBPF_DIR))
MULTIARCH	:= $(shell $(CC) -print-multiarch 2>/dev/null)
LIBBPF_LIBDIR	:= $(firstword $(wildcard $(LIBBPF_ABS)/usr/lib/$(MULTIARCH) \
		   $(LIBBPF_ABS)/usr/lib64 $(LIBBPF_ABS)/usr/lib))
ifeq ($(wildcard $(LIBBPF_ABS)/usr/include/bpf/libbpf.h),)
$(error LIBBPF_DIR=$(LIBBPF_DIR) has no usr/include/bpf/libbpf.h (unpack libbpf-dev there with dpkg -x))
endif
ifeq ($(wildcard $(LIBBPF_LIBDIR)/libbpf.so),)
$(error LIBBPF_DIR=$(LIBBPF_DIR) has no usr/lib/$(MULTIARCH)/libbpf.so (unpack libbpf1 and libbpf-dev there with dpkg -x))
endif
LIBBPF_CFLAGS	:= -I$(LIBBPF_ABS)/usr/include
LIBBPF_LIBS	:= -L$(LIBBPF_LIBDIR) -Wl,-rpath,$(LIBBPF_LIBDIR) -lbpf
endif
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(LIBBPF_LIBS) $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
		   echo $(if $(LIBBPF_DIR),,-lbpf) -ljansson -lmnl -lelf -lz -lcrypto -lmicrohttpd)

# User flags (CFLAGS, CPPFLAGS, LDFLAGS, as dpkg-buildflags sets them) stay
# the user's: the project's own flags live in XCTL_* and come first, so a
# `make CFLAGS=...` or Debian's hardening flags add to them, never replace them.
CFLAGS		?= -O2 -g
XCTL_CPPFLAGS	= -D_GNU_SOURCE -DXCTL_VERSION='"$(VERSION)"' \
		   $(LIB_INCS) -I$(BUILD) $(LIBBPF_CFLAGS) $(PKG_CFLAGS)
XCTL_CFLAGS	:= -std=gnu11 -Wall -Wextra -Wno-missing-field-initializers -MMD -MP
XCTL_LDFLAGS	:=
LDLIBS		+= $(PKG_LIBS)

# `make SANITIZE=address,undefined check`: everything built with those
# sanitizers into its own directory (objects never mix with a normal build),
# the suite run against that xctl with leak detection on; any report fails.
SANITIZE	?=
ifneq ($(SANITIZE),)
XCTL_CFLAGS	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
XCTL_LDFLAGS	+= -fsanitize=$(SANITIZE)
endif
# One build directory per variant (build/, build-san/, build-libbpf/,
# build-san-libbpf/): variants never share objects, so they can be built one
# after the other and then tested side by side (.ci/run). Only the default
# build puts ./xctl at the top.
BUILD		:= build$(if $(SANITIZE),-san)$(if $(LIBBPF_DIR),-libbpf)
XCTL_BIN	:= $(if $(filter build,$(BUILD)),xctl,$(BUILD)/xctl)
COMPILE		= $(CC) $(XCTL_CPPFLAGS) $(CPPFLAGS) $(XCTL_CFLAGS) $(CFLAGS)
LINK		= $(CC) $(XCTL_CFLAGS) $(CFLAGS) $(XCTL_LDFLAGS) $(LDFLAGS)
# lib/ is one folder per layer (see docs/design/3-architecture.md); the
# installed headers live in lib/include/xctl/, the private interface shared by
# lib/ folders and the CLI in lib/include/priv/.
LIB_DIRS	:= core nl btf struct_ops module xdp control apply
LIB_INCS	:= -Ilib/include/xctl -Ilib/include/priv $(addprefix -Ilib/,$(LIB_DIRS))
LIB_SRCS	:= $(sort $(foreach d,$(LIB_DIRS),$(wildcard lib/$(d)/*.c)))
CLI_SRCS	:= $(sort $(wildcard cli/*.c))
LIB_OBJS	:= $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS	:= $(CLI_SRCS:%.c=$(BUILD)/%.o)
LIBXCTL		:= $(BUILD)/libxctl.a

# libxctl is built once, position-independent with hidden visibility, into
# two files: the static archive the CLI and the unit tests link (it also holds
# the private interface of lib/include/priv/), and libxctl.so.0, which
# exports only the installed API (XCTL_API in lib/include/xctl/, version
# script lib/libxctl.map). See lib/README.
LIB_SONAME	:= libxctl.so.0
LIBXCTL_SO	:= $(BUILD)/libxctl.so.$(VERSION)
LIB_HEADERS	:= $(sort $(wildcard lib/include/xctl/*.h))
$(LIB_OBJS): XCTL_CFLAGS += -fPIC -fvisibility=hidden

# BPF objects: programs xctl itself loads (skeletons), examples a user loads,
# and test objects.
BPF_LIB_SRCS	:= $(sort $(wildcard lib/bpf/*.bpf.c))
BPF_LIB_OBJS	:= $(BPF_LIB_SRCS:%.bpf.c=$(BUILD)/%.bpf.o)
BPF_SKELS	:= $(BPF_LIB_SRCS:lib/bpf/%.bpf.c=$(BUILD)/%.skel.h)
BPF_EX_OBJS	:= $(patsubst %.bpf.c,%.bpf.o,$(sort $(wildcard examples/*.bpf.c)))
BPF_TEST_OBJS	:= $(patsubst %.bpf.c,%.bpf.o,$(sort $(wildcard tests/bpf/*.bpf.c)))
BPF_CFLAGS	:= -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ibuild -Ilib/bpf \
		   -Wall -Wno-unused-function -Wno-compare-distinct-pointer-types

UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# Fuzzing (tests/fuzz/): one libFuzzer harness per parser of untrusted
# input. `make fuzz` builds them with clang into build-fuzz/ and runs each
# for FUZZ_SECONDS, one at a time; `make check` replays every file of
# tests/fuzz/regressions/<harness>/ through the same harness code built
# without libFuzzer (build/fuzz/replay_<harness>).
FUZZ_SRCS	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES	:= $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_BUILD	:= build-fuzz
FUZZ_BINS	:= $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS	:= -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LIB_OBJS	:= $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_SECONDS	?= 60
FUZZ_MAX_LEN	?= 65536
REPLAY_BINS	:= $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
FUZZ_SEED_OBJS	:= $(BPF_EX_OBJS) $(BPF_TEST_OBJS)

MAN_SRCS	:= $(sort $(wildcard man/*.rst))
MAN_PAGES	:= $(MAN_SRCS:%.rst=%)

# Objects linked against libbpf are rebuilt when LIBBPF_DIR changes (another
# libbpf in the same LIBBPF_DIR build directory); BPF objects do not depend on it.
# The stamp holds the absolute path: a relative and an absolute name of one
# directory are the same libbpf.
LIBBPF_STAMP	:= $(BUILD)/libbpf.stamp
$(shell mkdir -p $(BUILD) && echo '$(LIBBPF_ABS)' | cmp -s - $(LIBBPF_STAMP) || \
	echo '$(LIBBPF_ABS)' > $(LIBBPF_STAMP))

.PHONY: all build-install deps check check-package unit cli-test demo bench install uninstall clean fuzz fuzz-build
# Skeletons and their objects are intermediate files make must keep.
.SECONDARY: $(BPF_SKELS) $(BPF_LIB_OBJS)

# What make install ships; `all` adds the test objects.
INSTALL_FILES	:= $(XCTL_BIN) $(LIBXCTL_SO) $(BPF_EX_OBJS) $(MAN_PAGES)

all: $(INSTALL_FILES) $(BUILD)/xctl-test $(BPF_TEST_OBJS)

# The installed files only (debian/rules builds this).
build-install: $(INSTALL_FILES)

# vmlinux.h and the BPF objects do not depend on the sanitizer: one copy in build/.
build/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $< format c > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/bpf/%.bpf.o: lib/bpf/%.bpf.c build/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/lib/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@.tmp && mv $@.tmp $@

examples/%.bpf.o: examples/%.bpf.c build/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

tests/bpf/%.bpf.o: tests/bpf/%.bpf.c build/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Header dependencies come from -MMD (the .d files included below); the
# skeletons must exist before the first compile that includes them.
$(BUILD)/%.o: %.c $(LIBBPF_STAMP) | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(COMPILE) -c $< -o $@

$(LIBXCTL): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBXCTL_SO): $(LIB_OBJS) lib/libxctl.map
	$(LINK) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=lib/libxctl.map -Wl,--no-undefined \
		-o $@ $(LIB_OBJS) $(LDLIBS)
	ln -sf $(notdir $@) $(BUILD)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(BUILD)/libxctl.so

$(XCTL_BIN): $(CLI_OBJS) $(LIBXCTL) $(LIBBPF_STAMP)
	$(LINK) -o $@ $(CLI_OBJS) $(LIBXCTL) $(LDLIBS)

# xctl-test: the CLI on a test build of the library, with the fault-injection
# points (-DXCTL_TEST_HOOKS) the kill-at-each-step tests use. Only the files
# that have such points are compiled twice; xctl and libxctl have none.
HOOK_SRCS	:= lib/module/module.c lib/xdp/xdp_redirect.c
HOOK_OBJS	:= $(HOOK_SRCS:%.c=$(BUILD)/test-hooks/%.o)
# The pause points' body (tests/hooks/) reads the environment, which lib/
# never does: it is linked into xctl-test only.
TEST_LIB_OBJS	:= $(filter-out $(HOOK_SRCS:%.c=$(BUILD)/%.o),$(LIB_OBJS)) $(HOOK_OBJS) \
		   $(BUILD)/tests/hooks/test_pause.o
$(BUILD)/test-hooks/%.o: %.c | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(COMPILE) -fPIC -fvisibility=hidden -DXCTL_TEST_HOOKS -c $< -o $@

$(BUILD)/xctl-test: $(CLI_OBJS) $(TEST_LIB_OBJS)
	$(LINK) -o $@ $(CLI_OBJS) $(TEST_LIB_OBJS) $(LDLIBS)

# Unit tests link the library and the CLI's text renderer.
UNIT_CLI_OBJS	:= $(BUILD)/cli/json_text.o
$(BUILD)/tests/%: tests/unit/%.c $(LIBXCTL) $(UNIT_CLI_OBJS) $(LIBBPF_STAMP)
	@mkdir -p $(@D)
	$(LINK) $(XCTL_CPPFLAGS) $(CPPFLAGS) -Itests/unit -Icli -o $@ $< $(UNIT_CLI_OBJS) \
		$(LIBXCTL) $(LDLIBS) -lcmocka

# Harnesses link the library and the CLI's text renderer (cli/json_text.c).
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIBXCTL) \
		$(UNIT_CLI_OBJS)
	@mkdir -p $(@D)
	$(LINK) $(XCTL_CPPFLAGS) $(CPPFLAGS) -Itests/fuzz -Icli -o $@ $< tests/fuzz/replay.c \
		$(UNIT_CLI_OBJS) $(LIBXCTL) $(LDLIBS)

$(FUZZ_BUILD)/%.o: %.c | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CLANG) $(XCTL_CPPFLAGS) -I$(BUILD) -std=gnu11 $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libxctl.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libxctl.a \
		$(FUZZ_BUILD)/cli/json_text.o
	$(CLANG) $(XCTL_CPPFLAGS) -Itests/fuzz -Icli -std=gnu11 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer \
		-o $@ $< $(FUZZ_BUILD)/cli/json_text.o $(FUZZ_BUILD)/libxctl.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# Each harness in turn (never in parallel: -j1 here whatever MAKEFLAGS
# says), seeded from the project's objects, the regression corpus and the
# corpus earlier runs grew. A crash leaves its input in
# $(FUZZ_BUILD)/crashes/<harness>/ and fails; copy it to
# tests/fuzz/regressions/<harness>/ with the fix. The last stats line of
# each run is collected in $(FUZZ_BUILD)/summary.
fuzz: deps
	$(MAKE) all
	$(MAKE) fuzz-build
	@rm -rf $(FUZZ_BUILD)/seeds && tests/fuzz/seeds.py $(FUZZ_BUILD)/seeds $(FUZZ_SEED_OBJS)
	@: > $(FUZZ_BUILD)/summary; for h in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$h $(FUZZ_BUILD)/crashes/$$h tests/fuzz/regressions/$$h; \
		echo "== fuzz $$h ($(FUZZ_SECONDS) s)"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		$(FUZZ_BUILD)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
			-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$h/ \
			$(FUZZ_BUILD)/corpus/$$h $(FUZZ_BUILD)/seeds/$$h \
			tests/fuzz/regressions/$$h > $(FUZZ_BUILD)/$$h.log 2>&1; rc=$$?; \
		grep -E '^#[0-9]+ *(DONE|pulse|NEW|REDUCE|INITED)' $(FUZZ_BUILD)/$$h.log | tail -1 | \
			sed "s/^/$$h: /" | tee -a $(FUZZ_BUILD)/summary; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_BUILD)/$$h.log | \
			sed "s/^/$$h: /" | tee -a $(FUZZ_BUILD)/summary; \
		if [ $$rc -ne 0 ]; then tail -n 60 $(FUZZ_BUILD)/$$h.log; \
			echo "fuzz $$h: failed, input in $(FUZZ_BUILD)/crashes/$$h/"; exit 1; fi; \
	done

# man/NAME.SECTION from man/NAME.SECTION.rst (sections 3, 5 and 8).
man/%: man/%.rst
	$(RST2MAN) --strict $< > $@.tmp && mv $@.tmp $@

deps:
	@tools/deps.sh

unit: $(UNIT_BINS) $(REPLAY_BINS)

# Under SANITIZE, every report goes to a file in a fresh directory (and
# aborts the process, so the command's exit status changes too); leaks are
# reported at exit. Any report file fails the run, even where a test
# expected a failure anyway.
SAN_OPTS	= ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:log_path=$$d/asan \
		  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$$d/ubsan \
		  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp
check: deps
	$(MAKE) all unit
ifeq ($(SANITIZE),)
	@XCTL_BIN=$(CURDIR)/$(XCTL_BIN) XCTL_TEST_BIN=$(CURDIR)/$(BUILD)/xctl-test XCTL_SANITIZE= \
		XCTL_LIBBPF_DIR=$(LIBBPF_ABS) tools/run-tests.sh $(UNIT_BINS) $(REPLAY_BINS)
else
	@d=$$(mktemp -d /tmp/xctl-san.XXXXXX); rc=0; \
	$(SAN_OPTS) XCTL_BIN=$(CURDIR)/$(XCTL_BIN) XCTL_TEST_BIN=$(CURDIR)/$(BUILD)/xctl-test \
		XCTL_SANITIZE=$(SANITIZE) XCTL_LIBBPF_DIR=$(LIBBPF_ABS) \
		tools/run-tests.sh $(UNIT_BINS) $(REPLAY_BINS) || rc=$$?; \
	if [ -n "$$(ls -A $$d)" ]; then cat $$d/*; \
		echo "sanitizer reports: $$(ls $$d | wc -l) (above)"; rc=1; fi; \
	rm -rf $$d; exit $$rc
endif

# The Debian packages: one dpkg-buildpackage of a copy of this tree, then
# their contents, the unit, hardening and lintian (tests/package/).
check-package: deps
	@tools/deps.sh package
	@start=$$(date +%s); bats --tap tests/package/package.bats; rc=$$?; \
	echo "check-package: $$(( $$(date +%s) - start )) s"; exit $$rc

demo: deps
	$(MAKE) all
	@tools/demo.sh

bench: deps
	$(MAKE) all
	@tests/bench/run.sh

install: $(INSTALL_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(MAN5DIR) $(DESTDIR)$(COMPLDIR)
	install -m 0755 $(XCTL_BIN) $(DESTDIR)$(BINDIR)/xctl
	install -m 0644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/
	install -m 0644 $(filter %.5,$(MAN_PAGES)) $(DESTDIR)$(MAN5DIR)/
	$(if $(filter %.3,$(MAN_PAGES)),install -d $(DESTDIR)$(MAN3DIR) && \
		install -m 0644 $(filter %.3,$(MAN_PAGES)) $(DESTDIR)$(MAN3DIR)/)
	install -m 0644 completions/xctl $(DESTDIR)$(COMPLDIR)/xctl
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(BPFOBJDIR) $(DESTDIR)$(DATADIR)
	sed 's|@SBINDIR@|$(BINDIR)|g' systemd/xctl.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/xctl.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/xctl.service
	install -m 0644 $(BPF_EX_OBJS) $(DESTDIR)$(BPFOBJDIR)/
	for o in $(notdir $(BPF_EX_OBJS)); do \
		ln -sfr $(DESTDIR)$(BPFOBJDIR)/$$o $(DESTDIR)$(DATADIR)/$$o; done
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/xctl $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIBXCTL_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIBXCTL_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libxctl.so
	install -m 0644 $(LIB_HEADERS) $(DESTDIR)$(INCLUDEDIR)/xctl/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    lib/libxctl.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libxctl.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libxctl.pc
	cd schema && find . -name '*.json' -o -name README.md | while read -r f; do \
		install -D -m 0644 "$$f" "$(DESTDIR)$(SCHEMADIR)/$$f" || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xctl $(DESTDIR)$(COMPLDIR)/xctl
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/,$(notdir $(filter %.8,$(MAN_PAGES))))
	rm -f $(addprefix $(DESTDIR)$(MAN5DIR)/,$(notdir $(filter %.5,$(MAN_PAGES))))
	rm -f $(addprefix $(DESTDIR)$(MAN3DIR)/,$(notdir $(filter %.3,$(MAN_PAGES))))
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/xctl.service
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(BPF_EX_OBJS)))
	rm -f $(addprefix $(DESTDIR)$(BPFOBJDIR)/,$(notdir $(BPF_EX_OBJS)))
	-rmdir $(DESTDIR)$(DATADIR) $(DESTDIR)$(BPFOBJDIR)
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(LIBXCTL_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	rm -f $(DESTDIR)$(LIBDIR)/libxctl.so $(DESTDIR)$(PKGCONFIGDIR)/libxctl.pc
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/xctl/,$(notdir $(LIB_HEADERS)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/xctl
	rm -rf $(DESTDIR)$(SCHEMADIR)

clean:
	rm -rf build build-san build-libbpf build-san-libbpf $(FUZZ_BUILD) xctl $(BPF_EX_OBJS) $(BPF_TEST_OBJS) $(MAN_PAGES)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(UNIT_BINS:=.d) $(REPLAY_BINS:=.d) \
	$(HOOK_OBJS:.o=.d)
