# Test harness for the collection; the work is done by tests/utils/ansible_test.sh.
#   make test            sanity, units and integration on the oldest and newest ansible-core, sanity on 2.19,
#                        then the simulator's tests and make demo end to end
#   make test-matrix     sanity, units and integration on every supported ansible-core, then tests/simulator
#   make sanity|units|integration|simulator [CORE=2.19]   one step on one ansible-core (default: newest)
#   make clean           remove build/ (collection copy, ansible-test HOME and caches)
#   make distclean       also remove the virtual environments in .venv/
# Extra ansible-test arguments: make sanity ANSIBLE_TEST_ARGS="-v --test pep8"
# Every version is run even if an earlier one fails; the target fails at the end.

OLDEST := 2.16
NEWEST := 2.21
MATRIX := 2.16 2.17 2.18 2.19 2.20 2.21
CORE ?= $(NEWEST)
RUN := tests/utils/ansible_test.sh

.PHONY: test test-matrix sanity units integration simulator venv clean distclean

# 2.19 is the last ansible-core on Python 3.11 and the first with data tagging: sanity there too.
test:
	@status=0; \
	$(RUN) $(OLDEST) all || status=1; \
	$(RUN) 2.19 sanity || status=1; \
	$(RUN) $(NEWEST) all simulator demo || status=1; \
	exit $$status

test-matrix:
	@status=0; \
	for core in $(MATRIX); do $(RUN) $$core all || status=1; done; \
	$(RUN) $(NEWEST) simulator || status=1; \
	exit $$status

sanity units integration simulator venv:
	$(RUN) $(CORE) $@

clean:
	rm -rf build

distclean: clean
	rm -rf .venv

# make demo: run examples/teardown.yml against the local simulator (uses .venv/demo and build/demo); see tools/demo.py
.PHONY: demo
demo:
	python3 tools/demo.py

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
