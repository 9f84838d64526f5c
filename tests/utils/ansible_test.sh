#!/usr/bin/env bash
# Run the collection's tests against one ansible-core version.
#
# Usage: tests/utils/ansible_test.sh CORE STEP...
#   CORE   ansible-core minor version, e.g. 2.16 or 2.21
#   STEP   venv        create/refresh .venv/core-CORE (done before every step anyway)
#          sanity      ansible-test sanity --venv (all tests, no ignores)
#          sanity-quick  ansible-test sanity --venv --test pep8 --test validate-modules (make quick)
#          units       ansible-test units --venv
#          integration ansible-test integration --venv (skipped without targets)
#          simulator   pytest tests/simulator
#          demo-test   pytest tests/demo: make demo end to end, with this version's venv (make demo itself
#                      runs the demo for a user; this step tests it)
#          contract    pytest tests/contract: the modules' requests against Stoplight Prism on Confluent's
#                      OpenAPI documents (../shared/confluent-openapi); needs node and npm
#          all         sanity units integration
#
# Environment:
#   BUILD_DIR          where the copy and HOME live (default: build), so that parallel runs do not collide
#   PYTHON_VERSION     Python to use (default: 3.11 for core <= 2.19, else 3.13, or 3.12 if 3.13 is missing)
#   ANSIBLE_TEST_ARGS  extra ansible-test arguments, e.g. "-v --test pep8"
#   STEP_TIMES         a file to which each step appends "CORE STEP<tab>seconds<tab>ok|FAILED|skipped", and the
#                      setup (venv, copy) a "CORE setup" line; make test prints it as a table (tests/utils/step_times.sh)
#
# Layout (all ignored by git):
#   .venv/core-CORE                          ansible-core CORE + tests/requirements.txt
#   build/ansible_collections/NS/NAME        fresh copy of the working tree, tested by ansible-test
#   build/home                               HOME for ansible-test (its venvs and caches)
#   .venv/prism                              Stoplight Prism, from tests/contract/package-lock.json (step contract)
#   build/contract                           the contract step's playbook, Prism logs and record of requests
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# shellcheck source=tests/utils/lib.sh
. "$ROOT/tests/utils/lib.sh"

die() { echo "ERROR: $*" >&2; exit 1; }
log() { echo "==> [core $CORE] $*"; }

[ $# -ge 2 ] || die "usage: $0 CORE STEP... (steps: venv sanity sanity-quick units integration simulator demo-test contract all)"
CORE="$1"
shift
[[ "$CORE" =~ ^2\.[0-9]+$ ]] || die "CORE must look like 2.16, got '$CORE'"

NAMESPACE="$(sed -n 's/^namespace: *//p' galaxy.yml | tr -d "\"' ")"
NAME="$(sed -n 's/^name: *//p' galaxy.yml | tr -d "\"' ")"
[ -n "$NAMESPACE" ] && [ -n "$NAME" ] || die "cannot read namespace/name from galaxy.yml"

VENV="$ROOT/.venv/core-$CORE"
BUILD="$ROOT/${BUILD_DIR:-build}"
COLLECTION="$BUILD/ansible_collections/$NAMESPACE/$NAME"
TEST_HOME="$BUILD/home"
REQUIREMENTS="tests/requirements.txt"

# Python for this ansible-core: 3.11 up to 2.19, then 3.13 (or 3.12 if 3.13 is missing).
if [ -z "${PYTHON_VERSION:-}" ]; then
    case "$CORE" in
        2.1[6-9]) PYTHON_VERSION=3.11 ;;
        *)
            PYTHON_VERSION=3.13
            if ! find_python 3.13 >/dev/null && find_python 3.12 >/dev/null; then
                PYTHON_VERSION=3.12
            fi
            ;;
    esac
fi

# .venv/core-CORE with ansible-core CORE.* and the test requirements; a stamp skips reinstalling.
setup_venv() {
    local stamp="$VENV/.installed" wanted python start=$SECONDS
    wanted="ansible-core==$CORE.* python$PYTHON_VERSION $(cksum <"$REQUIREMENTS")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$VENV/bin/ansible-test" ]; then
        return
    fi
    python="$(find_python "$PYTHON_VERSION")" ||
        die "ansible-core $CORE needs Python $PYTHON_VERSION: install python$PYTHON_VERSION (on PATH or via pyenv) or set PYTHON_VERSION"
    log "creating .venv/core-$CORE (Python $PYTHON_VERSION)"
    rm -rf "$VENV"
    quiet "$python" -m venv "$VENV"
    quiet "$VENV/bin/python" -m pip install --disable-pip-version-check "ansible-core==$CORE.*" -r "$REQUIREMENTS"
    echo "$wanted" >"$stamp"
    log "installed $("$VENV/bin/ansible" --version | head -n 1) in $((SECONDS - start))s"
}

# .venv/prism: the Stoplight Prism that tests/contract/package-lock.json pins, installed with npm ci; a stamp
# skips reinstalling. Without node and npm the contract step fails (the other steps still run): it is never skipped.
PRISM_DIR="$ROOT/.venv/prism"
PRISM_NODE_MIN=18.20
setup_prism() {
    local stamp="$PRISM_DIR/.installed" wanted start=$SECONDS
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "ERROR: the contract step needs Node.js $PRISM_NODE_MIN or newer and npm (for Stoplight Prism):" \
            "install them, e.g. apt-get install nodejs npm" >&2
        return 1
    fi
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number), [c, d] = process.argv[1].split(".").map(Number);
                  process.exit(a > c || (a === c && b >= d) ? 0 : 1)' "$PRISM_NODE_MIN"; then
        echo "ERROR: the contract step needs Node.js $PRISM_NODE_MIN or newer for Stoplight Prism, found $(node --version)" >&2
        return 1
    fi
    wanted="node $(node --version) $(cksum <tests/contract/package.json) $(cksum <tests/contract/package-lock.json)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
        return
    fi
    log "installing Stoplight Prism into .venv/prism (npm ci)"
    rm -rf "$PRISM_DIR"
    mkdir -p "$PRISM_DIR"
    cp tests/contract/package.json tests/contract/package-lock.json "$PRISM_DIR/"
    if ! (cd "$PRISM_DIR" && quiet npm ci --ignore-scripts --no-audit --no-fund); then
        echo "ERROR: npm ci of Stoplight Prism into .venv/prism failed" >&2
        return 1
    fi
    echo "$wanted" >"$stamp"
    log "installed Stoplight Prism $("$PRISM_DIR/node_modules/.bin/prism" --version) in $((SECONDS - start))s"
}

# ansible-test bootstraps pip into every venv it creates by running
# ~/.ansible/test/cache/get_pip_<pip version>.py, which it otherwise downloads
# from ci-files.testing.ansible.com.  Store an offline replacement there,
# plus the wheels it installs, for the pip version this ansible-test expects.
setup_get_pip() {
    local cache="$TEST_HOME/.ansible/test/cache" packages pip_version spec missing=()
    packages="$("$VENV/bin/python" - "$PYTHON_VERSION" <<'EOF'
import sys
import types

from ansible_test._internal.python_requirements import get_venv_packages

packages = get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))
print(' '.join('%s==%s' % item for item in packages.items()))
EOF
)"
    pip_version="$(tr ' ' '\n' <<<"$packages" | sed -n 's/^pip==//p')"
    [ -n "$pip_version" ] || die "cannot determine the pip version ansible-test expects"
    for spec in $packages; do
        compgen -G "$cache/wheels/${spec%%==*}-${spec#*==}-*.whl" >/dev/null || missing+=("$spec")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "downloading bootstrap wheels: ${missing[*]}"
        mkdir -p "$cache/wheels"
        quiet "$VENV/bin/python" -m pip download --disable-pip-version-check --no-deps --only-binary=:all: \
            --dest "$cache/wheels" "${missing[@]}"
    fi
    cp tests/utils/get_pip_offline.py "$cache/get_pip_${pip_version//./_}.py"
}

# Run ansible-test in the collection copy with HOME=build/home, keeping the
# user's pip configuration (pip reads it from HOME) and .venv/bin on PATH.
# Without ANSIBLE_TEST_CONTENT_ROOT ansible-test would walk up to this
# repository's .git and ask git for the files, which ignores build/, so it
# would test nothing; with it, ansible-test tests every file of the copy.
ansible_test() {
    local user_pip_conf=""
    [ -f "$HOME/.config/pip/pip.conf" ] && user_pip_conf="$HOME/.config/pip/pip.conf"
    [ -z "$user_pip_conf" ] && [ -f "$HOME/.pip/pip.conf" ] && user_pip_conf="$HOME/.pip/pip.conf"
    # shellcheck disable=SC2086  # ANSIBLE_TEST_ARGS is a list of words
    (
        cd "$COLLECTION"
        export PIP_CONFIG_FILE="${PIP_CONFIG_FILE:-$user_pip_conf}"
        [ -n "$PIP_CONFIG_FILE" ] || unset PIP_CONFIG_FILE
        export HOME="$TEST_HOME" PATH="$VENV/bin:$PATH" ANSIBLE_TEST_CONTENT_ROOT="$COLLECTION"
        ansible-test "$@" --venv --python "$PYTHON_VERSION" ${ANSIBLE_TEST_ARGS:-}
    )
}

has_integration_targets() {
    [ -d tests/integration/targets ] && [ -n "$(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d)" ]
}

run_step() {
    local step="$1" start=$SECONDS
    case "$step" in
        venv) return ;;
        integration)
            if ! has_integration_targets; then
                log "integration: no targets in tests/integration/targets, skipped"
                record_step_time "$CORE $step" 0 skipped
                return
            fi
            ;;
    esac
    log "$step (Python $PYTHON_VERSION)"
    case "$step" in
        # -rs lists the reason of any skip; tests/simulator/conftest.py turns every skip into a failure
        simulator) "$VENV/bin/python" -m pytest tests/simulator -q -rs -p no:cacheprovider ;;
        demo-test) DEMO_VENV="$VENV" "$VENV/bin/python" -m pytest tests/demo -q -p no:cacheprovider ;;
        sanity-quick) ansible_test sanity --test pep8 --test validate-modules ;;
        contract)
            setup_prism &&
                CONTRACT_COLLECTIONS_PATH="$BUILD" CONTRACT_WORK_DIR="$BUILD/contract" \
                    CONTRACT_PRISM="$PRISM_DIR/node_modules/.bin/prism" \
                    "$VENV/bin/python" -m pytest tests/contract -q -p no:cacheprovider
            ;;
        *) ansible_test "$step" ;;
    esac || {
        log "$step FAILED after $((SECONDS - start))s"
        record_step_time "$CORE $step" $((SECONDS - start)) FAILED
        return 1
    }
    log "$step passed in $((SECONDS - start))s"
    record_step_time "$CORE $step" $((SECONDS - start)) ok
}

steps=()
for step in "$@"; do
    case "$step" in
        all) steps+=(sanity units integration) ;;
        venv | sanity | sanity-quick | units | integration | simulator | demo-test | contract) steps+=("$step") ;;
        demo) die "the step that tests the demo is called demo-test (make demo runs the demo itself)" ;;
        *) die "unknown step '$step' (steps: venv sanity sanity-quick units integration simulator demo-test contract all)" ;;
    esac
done

# The setup's time is a step of its own in STEP_TIMES, recorded as FAILED if it stops the script.
setup_start=$SECONDS
trap 'record_step_time "$CORE setup" $((SECONDS - setup_start)) FAILED' EXIT
setup_venv
setup_get_pip
copy_tree "$COLLECTION"
trap - EXIT
record_step_time "$CORE setup" $((SECONDS - setup_start)) ok

# Run every step, then fail if any of them failed.
failed=()
for step in "${steps[@]}"; do
    run_step "$step" || failed+=("$step")
done
[ ${#failed[@]} -eq 0 ] || die "ansible-core $CORE: failed: ${failed[*]}"
