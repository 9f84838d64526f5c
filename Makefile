# Test harness for the collection; the work is done by tests/utils/ansible_test.sh.
#   make test            sanity, units and integration on the oldest and newest ansible-core, then tests/simulator
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

test:
	@status=0; \
	$(RUN) $(OLDEST) all || status=1; \
	$(RUN) $(NEWEST) all simulator || status=1; \
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
