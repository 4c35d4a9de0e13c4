# A thin wrapper around Meson: every target installs what it needs first.
BUILDDIR ?= build
MESON_FLAGS ?=

.PHONY: all deps build check demo bench install package check-installed clean

all: build

deps:
	@tools/install-deps

$(BUILDDIR)/build.ninja:
	@tools/install-deps
	meson setup $(BUILDDIR) $(MESON_FLAGS)

build: deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

# The whole suite; integration tests run inside private systemd user
# managers (tests/harness/user-manager), so this needs root.
# Ends with the line .ci/run ends with too: "N passed, N failed[, N skipped]".
check: build
	@status=0; meson test -C $(BUILDDIR) --print-errorlogs || status=1; \
	tests/summary $(BUILDDIR) || status=1; exit $$status

demo: build
	tools/demo $(BUILDDIR)

bench: build
	bench/run $(BUILDDIR)
	bench/launch-forms $(BUILDDIR)
	bench/unit-control $(BUILDDIR)
	bench/burst $(BUILDDIR)
	bench/daemon-memory $(BUILDDIR)
	bench/search $(BUILDDIR)
	bench/fuzzel-ranking $(BUILDDIR)

install: build
	meson install -C $(BUILDDIR)

# The Debian package (dpkg-buildpackage -b in a copy of the tracked tree),
# lintian, hardening-check and its file list: into $(BUILDDIR)/package.
package: deps
	tools/package $(BUILDDIR)

# Installs that package with apt-get, runs the integration tests against
# the installed files, then removes and purges it (root; it changes /usr).
check-installed: package
	tools/check-installed $(BUILDDIR)

clean:
	rm -rf $(BUILDDIR)
