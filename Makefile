# sigit: make demo (set-up + end-to-end run on a temporary repository), make test (the whole suite).
PREFIX ?= /usr/local
SWIFT ?= swift

.PHONY: deps build release demo test bench install templates clean fuzz fuzz-smoke model man
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 6

deps:
	@pkg-config --exists libgit2 2>/dev/null || { \
	  echo "installing libgit2-dev"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libgit2-dev pkg-config; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libgit2-dev pkg-config; fi; }
	@command -v ssh-keygen >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq openssh-client; else sudo apt-get install -y -qq openssh-client; fi; }
	@pkg-config --exists libcurl 2>/dev/null || { \
	  echo "installing libcurl4-openssl-dev"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libcurl4-openssl-dev pkg-config; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libcurl4-openssl-dev pkg-config; fi; }
	@{ command -v openssl >/dev/null && { /usr/bin/python3 -c 'import aiosmtpd' || python3 -c 'import aiosmtpd'; } 2>/dev/null; } || { \
	  echo "installing python3, python3-aiosmtpd and openssl (Delivery tests)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3 python3-aiosmtpd openssl; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq python3 python3-aiosmtpd openssl; fi \
	  || python3 -m pip install --user aiosmtpd; }

	@test -x /usr/sbin/sshd || { \
	  echo "installing openssh-server (the ssh-remote tests start their own sshd on loopback; the service is not started)"; \
	  S=""; [ "$$(id -u)" = 0 ] || S=sudo; G=""; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $$S tee /usr/sbin/policy-rc.d >/dev/null; $$S chmod +x /usr/sbin/policy-rc.d; G=1; fi; \
	  $$S apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$S apt-get install -y -qq openssh-server; \
	  [ -z "$$G" ] || $$S rm -f /usr/sbin/policy-rc.d; }
	@{ command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || { \
	  echo "installing chromium and chromium-driver (browser tests: headless Chromium with a virtual authenticator; no services are started)"; \
	  S=""; [ "$$(id -u)" = 0 ] || S=sudo; G=""; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $$S tee /usr/sbin/policy-rc.d >/dev/null; $$S chmod +x /usr/sbin/policy-rc.d; G=1; fi; \
	  $$S apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$S apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation; \
	  [ -z "$$G" ] || $$S rm -f /usr/sbin/policy-rc.d; }
	@{ ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 >/dev/null 2>&1; } || { \
	  echo "installing faketime (trusted-time tests: a TSA and sigit with their clocks set months back)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq faketime; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq faketime; fi; }
	@.build/browser-venv/bin/python -c 'import selenium' 2>/dev/null || { \
	  echo "installing selenium into .build/browser-venv (browser tests)"; \
	  dpkg -s python3-venv >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv; fi; }; \
	  rm -rf .build/browser-venv && /usr/bin/python3 -m venv .build/browser-venv \
	  && .build/browser-venv/bin/python -m pip install -q --disable-pip-version-check selenium; }

build: deps
	$(SWIFT) build

# Release binaries link the Swift runtime statically: they run where no Swift toolchain is installed, and start
# about 5 ms sooner (no dynamic relocation of the runtime libraries; a third of a warm sigit status at 20k commits).
RELEASE = -c release --static-swift-stdlib

release: deps
	$(SWIFT) build $(RELEASE)

demo: release
	SIGIT=$(CURDIR)/.build/release/sigit bash scripts/demo.sh

test: deps
	$(SWIFT) build
	SIGIT_BIN=$(CURDIR)/.build/debug/sigit $(SWIFT) test --no-parallel
	SWIFT=$(SWIFT) bash fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS)

# The performance table of docs/PERFORMANCE.md: builds 5k, 20k and 100k-commit repositories once (cached in
# SIGIT_BENCH_CACHE, default ~/.cache/sigit-bench), times sigit against git and the crypto floor, prints ratios and
# PASS/FAIL. SIZES="5000 20000" and RUNS=3 make it shorter.
bench: deps
	$(SWIFT) build $(RELEASE)
	python3 benchmarks/bench.py

# libFuzzer on the parsers of untrusted bytes (Sources/Fuzz*/): FUZZ_SECONDS per target, one after
# the other (FUZZ_TARGETS="FuzzPolicy ..." for some); fuzz/corpus/ keeps what reaches new code. See fuzz/README.md.
fuzz: deps model
	SWIFT=$(SWIFT) bash fuzz/run.sh fuzz $(FUZZ_SECONDS)

# The ledger against the reference model (Tests/SigitCoreTests/Model/) on many more generated histories than make
# test runs (200), every mutation kind on; a failure prints SIGIT_MODEL_SEED=<n> to replay and shrink it.
MODEL_COUNT ?= 3000
MODEL_BASE ?= 100000
model: deps
	SIGIT_MODEL_KINDS=all SIGIT_MODEL_COUNT=$(MODEL_COUNT) SIGIT_MODEL_BASE=$(MODEL_BASE) $(SWIFT) test --filter 'SigitCoreTests.ReferenceModelPropertyTests'

# A few seconds per target from the kept corpus (part of make test); the tree is not changed.
fuzz-smoke: deps
	SWIFT=$(SWIFT) bash fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS)

templates:
	python3 scripts/embed-templates.py

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sigit/templates \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 .build/release/sigit $(DESTDIR)$(PREFIX)/bin/sigit
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/sigit/templates/
	.build/release/sigit --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sigit
	.build/release/sigit --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sigit
	.build/release/sigit --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sigit.fish
	install -m 644 docs/man/sigit.1 $(DESTDIR)$(PREFIX)/share/man/man1/sigit.1

# The man page is generated by swift-argument-parser's generate-manual plugin and committed (docs/man/sigit.1), so
# make install needs no plugin build; CommandLineTests checks it still names every verb and option. Run this after
# changing a verb or an option. MAN_DATE keeps the page the same from run to run.
MAN_DATE ?= 2026-12-07
man:
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --configuration debug --date $(MAN_DATE)
	mkdir -p docs/man
	cp "$$(find .build/plugins -path '*GenerateManual*' -name sigit.1 | head -n 1)" docs/man/sigit.1

clean:
	rm -rf .build
