# Test harness for the collection; the work is done by tests/utils/ansible_test.sh.
#   make quick           the fast lane (about 1 minute when .venv/core-2.21 exists): units, and the pep8 and
#                        validate-modules sanity tests, on the newest ansible-core
#   make test            sanity, units and integration on the oldest and newest ansible-core, sanity on 2.19,
#                        then the simulator's tests, make demo end to end (step demo-test), the contract test against
#                        Stoplight Prism, the reliability suite and a tiny benchmark; it writes no file that git
#                        tracks or shows (checked at the end with tests/utils/tree_state.sh): the committed reports are
#                        rewritten only by make reliability-report and make bench
#   make test-matrix     sanity, units and integration on every supported ansible-core, then tests/simulator
#   make sanity|units|integration|simulator|contract [CORE=2.19]   one step on one ansible-core (default: newest)
#   make contract        the modules' requests against Prism on Confluent's OpenAPI documents (tests/contract;
#                        needs node and npm, installs the pinned Prism into .venv/prism)
#   make clean           remove build/ (collection copy, ansible-test HOME and caches)
#   make distclean       also remove the virtual environments in .venv/
# Extra ansible-test arguments: make sanity ANSIBLE_TEST_ARGS="-v --test pep8"
# Every version is run even if an earlier one fails; the target fails at the end.
# make test, test-matrix and quick end with a table of each step's seconds and result (tests/utils/step_times.sh),
# kept in $(BUILD_DIR)/step-times.tsv.

OLDEST := 2.16
NEWEST := 2.21
MATRIX := 2.16 2.17 2.18 2.19 2.20 2.21
CORE ?= $(NEWEST)
RUN := tests/utils/ansible_test.sh
BUILD_DIR ?= build
# Shell lines that start a table of step times, time a step of the Makefile's own, and print the table.
TIMES_START := mkdir -p '$(BUILD_DIR)'; export STEP_TIMES='$(CURDIR)/$(BUILD_DIR)/step-times.tsv'; : >"$$STEP_TIMES"
TIMED := tests/utils/step_times.sh run
TIMES_REPORT := tests/utils/step_times.sh report

.PHONY: test test-matrix quick sanity units integration simulator contract venv clean distclean

# 2.19 is the last ansible-core on Python 3.11 and the first with data tagging: sanity there too.
test:
	@status=0; before="$$(tests/utils/tree_state.sh)"; $(TIMES_START); \
	$(RUN) $(OLDEST) all || status=1; \
	$(RUN) 2.19 sanity || status=1; \
	$(RUN) $(NEWEST) all simulator demo-test contract || status=1; \
	$(TIMED) reliability $(MAKE) --no-print-directory reliability || status=1; \
	$(TIMED) bench-smoke $(MAKE) --no-print-directory bench-smoke || status=1; \
	$(TIMES_REPORT) "make test"; \
	if [ "$$before" != "$$(tests/utils/tree_state.sh)" ]; then \
		echo "ERROR: make test changed what git sees in the working tree:" >&2; git status --short >&2; status=1; \
	fi; \
	exit $$status

test-matrix:
	@status=0; $(TIMES_START); \
	for core in $(MATRIX); do $(RUN) $$core all || status=1; done; \
	$(RUN) $(NEWEST) simulator || status=1; \
	$(TIMES_REPORT) "make test-matrix"; \
	exit $$status

# The fast lane: units, pep8 and validate-modules on the newest ansible-core (CONTRIBUTING.md gives the times).
quick:
	@status=0; $(TIMES_START); \
	$(RUN) $(NEWEST) units sanity-quick || status=1; \
	$(TIMES_REPORT) "make quick"; \
	exit $$status

sanity units integration simulator contract venv:
	$(RUN) $(CORE) $@

clean:
	rm -rf build

distclean: clean
	rm -rf .venv

# make demo: run examples/teardown.yml, then the cleanup playbook, against the local simulator (uses .venv/demo and
# build/demo); see tools/demo.py
.PHONY: demo
demo:
	python3 tools/demo.py

# make rehearse: the simulator in the foreground on 127.0.0.1, to try a playbook against before Confluent Cloud
# (docs/docsite/rst/rehearse.rst). It prints the export line to paste, then one line per request; Ctrl-C stops it.
#   make rehearse SEED=my-seed.json PORT=0   another seed (tests/simulator/README.md), any free port
# Plain assignments, so that a PORT or SEED already in the environment does not change them; the command line does.
SEED := tests/simulator/seeds/demo.json
PORT := 8080
.PHONY: rehearse
rehearse:
	python3 tests/simulator/confluent_sim.py --seed '$(SEED)' --port '$(PORT)' --print-env --verbose

# Release checks, with the tools of .venv/release (tests/release-requirements.txt); see tests/utils/release_checks.sh.
#   make release-check   changelog, docs, galaxy (build + galaxy-importer + install), ansible-lint, execution environment
#   make release-check RELEASE_CHECKS="docs lint"   only some of them
#   make docs            lint the documentation and build the docsite offline into build/docsite/build/html
RELEASE_CHECKS ?= all
.PHONY: release-check docs
release-check:
	tests/utils/release_checks.sh $(RELEASE_CHECKS)

docs:
	tests/utils/release_checks.sh docs

# make reliability: fault matrix, load, TLS, secret hygiene and fuzzed input of the modules against the simulator
# (tests/reliability; uses .venv/reliability and build/reliability). A whole run writes its figures to
# build/reliability/reliability.md; no tracked file changes (make test runs it).
#   make reliability RELIABILITY_ARGS="-k tls"   a filtered run, which writes no figures
#   make reliability-report                      the whole suite, then rewrites the committed docs/reliability.md
RELIABILITY_VENV := .venv/reliability
RELIABILITY_PYTEST := $(RELIABILITY_VENV)/bin/python -m pytest tests/reliability -p no:cacheprovider -q -rxXf --timeout 900
.PHONY: reliability reliability-report
reliability: $(RELIABILITY_VENV)/.installed
	$(RELIABILITY_PYTEST) $(if $(RELIABILITY_ARGS),$(RELIABILITY_ARGS),--reliability-report build/reliability/reliability.md)

reliability-report: $(RELIABILITY_VENV)/.installed
	$(if $(RELIABILITY_ARGS),$(error make reliability-report runs the whole suite: leave RELIABILITY_ARGS unset))
	$(RELIABILITY_PYTEST) --reliability-report docs/reliability.md

$(RELIABILITY_VENV)/.installed: tests/reliability/requirements.txt
	rm -rf $(RELIABILITY_VENV)
	python3 -m venv $(RELIABILITY_VENV)
	$(RELIABILITY_VENV)/bin/python -m pip install -q --disable-pip-version-check -r tests/reliability/requirements.txt
	touch $@

# make bench: confluent_connector against ansible.builtin.uri and ansible.builtin.ping on the local simulator
# (tests/benchmark; uses .venv/bench and build/bench), then rewrites the committed docs/performance.md and
# docs/performance.png: run it on an otherwise idle machine.
#   make bench BENCH_ARGS="--runs 7"   another size (python3 tests/benchmark/bench.py --help)
#   make bench-smoke                   a tiny size into a temporary directory, leaving docs/ alone (make test runs it)
.PHONY: bench bench-smoke
bench:
	python3 tests/benchmark/bench.py $(BENCH_ARGS)

bench-smoke:
	python3 tests/benchmark/bench.py --smoke $(BENCH_ARGS)
