#!/usr/bin/env bash
# Release checks for the collection: documentation, changelog, Galaxy import, ansible-lint, execution environment.
#
# Usage: tests/utils/release_checks.sh STEP...
#   STEP   venv       create/refresh .venv/release (done before every step anyway)
#          changelog  antsibull-changelog lint, lint-changelog-yaml, and CHANGELOG.rst up to date
#          docs       antsibull-docs lint-collection-docs, then the docsite built offline with Sphinx
#                     (HTML in build/docsite/build/html)
#          galaxy     ansible-galaxy collection build, tarball contents, galaxy-importer (no WARNING or
#                     ERROR allowed), install from the tarball and ansible-galaxy collection verify
#          lint       ansible-lint --profile production on the repository (examples/ included)
#          ee         ansible-builder introspect (meta/execution-environment.yml) and
#                     ansible-builder create with execution-environment.yml
#          all        changelog docs galaxy lint ee
#
# Environment:
#   PYTHON_VERSION   Python for .venv/release (default 3.11)
#
# Everything runs offline once .venv/release exists. Layout (all ignored by git):
#   .venv/release                                   the tools, from tests/release-requirements.txt
#   build/release/collections/ansible_collections/NS/NAME   fresh copy of the working tree
#   build/release/dist, build/release/installed     the tarball, and the collection installed from it
#   build/release/importer                          galaxy-importer's log and result
#   build/release/ee-context                        build context written by ansible-builder create
#   build/docsite                                   Sphinx project from antsibull-docs sphinx-init, and its HTML
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# shellcheck source=tests/utils/lib.sh
. "$ROOT/tests/utils/lib.sh"

die() { echo "ERROR: $*" >&2; exit 1; }
log() { echo "==> [release] $*"; }

[ $# -ge 1 ] || die "usage: $0 STEP... (steps: venv changelog docs galaxy lint ee all)"

NAMESPACE="$(sed -n 's/^namespace: *//p' galaxy.yml | tr -d "\"' ")"
NAME="$(sed -n 's/^name: *//p' galaxy.yml | tr -d "\"' ")"
VERSION="$(sed -n 's/^version: *//p' galaxy.yml | tr -d "\"' ")"
[ -n "$NAMESPACE" ] && [ -n "$NAME" ] && [ -n "$VERSION" ] || die "cannot read namespace/name/version from galaxy.yml"
FQCN="$NAMESPACE.$NAME"

PYTHON_VERSION="${PYTHON_VERSION:-3.11}"
VENV="$ROOT/.venv/release"
REQUIREMENTS="tests/release-requirements.txt"
WORK="$ROOT/build/release"
COLLECTIONS="$WORK/collections"
COLLECTION="$COLLECTIONS/ansible_collections/$NAMESPACE/$NAME"
DIST="$WORK/dist"
TARBALL="$DIST/$NAMESPACE-$NAME-$VERSION.tar.gz"
INSTALLED="$WORK/installed"
DOCSITE="$ROOT/build/docsite"

# Labels of the Ansible documentation that antsibull-docs links to from generated pages. They resolve only
# through intersphinx, which is off for an offline build, so Sphinx may leave them unresolved; any other
# unresolved reference still fails the build.
ANSIBLE_DOCS_LABELS=(action_plugins ansible_configuration_settings common_return_values)

# .venv/release with the release tools; a stamp skips reinstalling.
setup_venv() {
    local stamp="$VENV/.installed" wanted python start=$SECONDS
    wanted="python$PYTHON_VERSION $(cksum <"$REQUIREMENTS")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$VENV/bin/antsibull-docs" ]; then
        return
    fi
    python="$(find_python "$PYTHON_VERSION")" ||
        die "the release tools need Python $PYTHON_VERSION: install python$PYTHON_VERSION (on PATH or via pyenv) or set PYTHON_VERSION"
    log "creating .venv/release (Python $PYTHON_VERSION)"
    rm -rf "$VENV"
    quiet "$python" -m venv "$VENV" || die "cannot create $VENV"
    quiet "$VENV/bin/python" -m pip install --disable-pip-version-check -r "$REQUIREMENTS" ||
        die "cannot install $REQUIREMENTS"
    echo "$wanted" >"$stamp"
    log "installed the release tools in $((SECONDS - start))s"
}

check_changelog() {
    antsibull-changelog lint
    [ -f changelogs/changelog.yaml ] || {
        echo "changelogs/changelog.yaml is missing: release a version with antsibull-changelog release" >&2
        return 1
    }
    antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
    # Regenerate CHANGELOG.rst in the copy (outside any git work tree, so that antsibull-changelog
    # reads the copy's files) and compare.
    (cd "$COLLECTION" && quiet antsibull-changelog generate)
    if ! cmp -s CHANGELOG.rst "$COLLECTION/CHANGELOG.rst"; then
        diff -u CHANGELOG.rst "$COLLECTION/CHANGELOG.rst" >&2 || true
        echo "CHANGELOG.rst is not what changelogs/changelog.yaml gives: run antsibull-changelog generate" >&2
        return 1
    fi
    echo "changelog: fragments, changelogs/changelog.yaml and CHANGELOG.rst are consistent"
}

# The AWX guide shows the files of docs/awx/; fail when they drift apart.
check_awx_guide() {
    "$VENV/bin/python" - docs/docsite/rst/awx.rst docs/awx/credential_type.yml docs/awx/cleanup_job_template.yml \
        docs/awx/project/cleanup.yml docs/awx/project/collections/requirements.yml <<'EOF'
import re
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    guide = handle.read()
shown = [yaml.safe_load("\n".join(line[4:] for line in block.splitlines()))
         for block in re.findall(r"^\.\. code-block:: yaml\n\n((?:(?: {4}.*)?\n)+)", guide, re.M)]
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as handle:
        if yaml.safe_load(handle) not in shown:
            sys.exit("%s does not show %s: copy it again" % (sys.argv[1], path))
EOF
}

check_docs() {
    local output status=0
    # Clean means a zero exit status and no message at all.
    output="$(cd "$COLLECTION" && antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
        --validate-collection-refs all --disallow-unknown-collection-refs . 2>&1)" || status=$?
    if [ "$status" -ne 0 ] || [ -n "$output" ]; then
        printf '%s\n' "$output" >&2
        echo "antsibull-docs lint-collection-docs reported the problems above" >&2
        return 1
    fi
    echo "antsibull-docs lint-collection-docs: clean"
    check_awx_guide
    build_docsite
}

# antsibull-docs sphinx-init, then its build.sh, offline: no intersphinx inventories are fetched.
build_docsite() {
    local label ignore=""
    rm -rf "$DOCSITE"
    mkdir -p "$DOCSITE"
    chmod 755 "$DOCSITE"
    quiet antsibull-docs sphinx-init --use-current --dest-dir "$DOCSITE" --fail-on-error \
        --project "$FQCN" --title "$FQCN" --copyright "$FQCN contributors" "$FQCN"
    for label in "${ANSIBLE_DOCS_LABELS[@]}"; do ignore+="    ('std:ref', '$label'),"$'\n'; done
    cat >>"$DOCSITE/conf.py" <<EOF

# Offline build (tests/utils/release_checks.sh): no intersphinx inventories are downloaded.
intersphinx_mapping = {}
nitpick_ignore = [
$ignore]
EOF
    "$DOCSITE/build.sh" >"$DOCSITE/build.log" 2>&1 || {
        cat "$DOCSITE/build.log" >&2
        return 1
    }
    if grep -E 'WARNING|ERROR' "$DOCSITE/build.log" >&2; then
        echo "the docsite build printed warnings" >&2
        return 1
    fi
    echo "docsite: build/docsite/build/html/index.html"
}

# Paths the tarball must not hold (galaxy.yml build_ignore), and files it must hold.
TARBALL_FORBIDDEN='^(\.venv|build|tests/output|\.git|\.cache|\.benchmarks|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.tox|\.nox|\.ansible|\.ci|context|docs/docsite/_build)(/|$)|(^|/)__pycache__(/|$)|\.pyc$|\.tar\.gz$|(^|/)importer_result\.json$|^changelogs/\.plugin-cache\.yaml$'
TARBALL_REQUIRED=(MANIFEST.json FILES.json README.md LICENSE CHANGELOG.rst changelogs/changelog.yaml meta/runtime.yml
    meta/execution-environment.yml requirements.txt execution-environment.yml docs/docsite/links.yml
    docs/docsite/extra-docs.yml plugins/modules/confluent_environment.py plugins/modules/confluent_connector.py
    playbooks/cleanup.yml)

check_galaxy() {
    local listing file importer="$WORK/importer"
    rm -rf "$DIST" "$INSTALLED" "$importer"
    mkdir -p "$DIST" "$importer/tmp"
    # Built from the repository itself, so that galaxy.yml build_ignore is what keeps files out.
    quiet ansible-galaxy collection build --force --output-path "$DIST" "$ROOT"
    listing="$(tar -tzf "$TARBALL" | sed 's|^\./||; s|/$||')"
    if grep -E "$TARBALL_FORBIDDEN" <<<"$listing" >&2; then
        echo "the tarball holds the files above: add them to build_ignore in galaxy.yml" >&2
        return 1
    fi
    for file in "${TARBALL_REQUIRED[@]}"; do
        grep -qxF "$file" <<<"$listing" || { echo "the tarball lacks $file" >&2; return 1; }
    done
    echo "tarball: $(wc -l <<<"$listing") entries, none that build_ignore should leave out"

    (
        cd "$importer"
        export GALAXY_IMPORTER_CONFIG="$ROOT/tests/utils/galaxy-importer.cfg"
        export GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$importer/tmp" GALAXY_IMPORTER_TMP_ROOT_DIR="$importer/tmp"
        python -m galaxy_importer.main "$TARBALL" >"$importer/importer.log" 2>&1
    ) || {
        cat "$importer/importer.log" >&2
        echo "galaxy-importer failed" >&2
        return 1
    }
    if grep -E 'WARNING|ERROR' "$importer/importer.log" >&2; then
        echo "galaxy-importer reported the warnings or errors above (full log: build/release/importer/importer.log)" >&2
        return 1
    fi
    echo "galaxy-importer: no warnings or errors"

    quiet ansible-galaxy collection install --force -p "$INSTALLED" "$TARBALL"
    ANSIBLE_COLLECTIONS_PATH="$INSTALLED" quiet ansible-galaxy collection verify --offline -p "$INSTALLED" "$FQCN"
    ANSIBLE_COLLECTIONS_PATH="$INSTALLED" quiet ansible-doc -t module "$FQCN.confluent_environment" "$FQCN.confluent_connector"
    echo "installed from the tarball: ansible-galaxy collection verify and ansible-doc pass"
}

check_lint() {
    ansible-lint --offline --profile production --nocolor
}

check_ee() {
    local introspection
    introspection="$(ansible-builder introspect "$COLLECTIONS")"
    printf '%s\n' "$introspection"
    grep -q "requests.*# from collection $FQCN" <<<"$introspection" || {
        echo "ansible-builder introspect does not find the requirements of meta/execution-environment.yml" >&2
        return 1
    }
    rm -rf "$WORK/ee-context"
    quiet ansible-builder create --file execution-environment.yml --context "$WORK/ee-context"
    [ -f "$WORK/ee-context/Containerfile" ] || [ -f "$WORK/ee-context/Dockerfile" ] || {
        echo "ansible-builder create wrote no Containerfile" >&2
        return 1
    }
    echo "ansible-builder create: build context in build/release/ee-context"
}

# Run one check in a subshell with errexit in force (a function called as `f || ...` would run
# without it); record it in $failed when it fails.
run_step() {
    local step="$1" start=$SECONDS status
    log "$step"
    set +e
    (
        set -e
        "check_$step"
    )
    status=$?
    set -e
    if [ "$status" -ne 0 ]; then
        log "$step FAILED after $((SECONDS - start))s"
        failed+=("$step")
        return
    fi
    log "$step passed in $((SECONDS - start))s"
}

steps=()
for step in "$@"; do
    case "$step" in
        all) steps+=(changelog docs galaxy lint ee) ;;
        venv | changelog | docs | galaxy | lint | ee) steps+=("$step") ;;
        *) die "unknown step '$step' (steps: venv changelog docs galaxy lint ee all)" ;;
    esac
done

setup_venv
# The tools of .venv/release, reading only the collection tree under build/release and nothing
# installed elsewhere; their temporary files and caches stay under build/.
export PATH="$VENV/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS"
export ANSIBLE_LOCAL_TEMP="$WORK/tmp" XDG_CACHE_HOME="$WORK/cache" ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1
# Git commands run in the copy must not see this repository's work tree (where build/ is ignored).
export GIT_CEILING_DIRECTORIES="$ROOT/build"
copy_tree "$COLLECTION"

failed=()
for step in "${steps[@]}"; do
    [ "$step" = venv ] && continue
    run_step "$step"
done
[ ${#failed[@]} -eq 0 ] || die "release checks failed: ${failed[*]}"
log "all release checks passed"
