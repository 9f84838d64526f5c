# Shell functions shared by the test and release scripts of tests/utils/ (sourced, not run).
# shellcheck shell=bash

# Print the path of a working Python X.Y interpreter: PATH first, then pyenv.
find_python() {
    local version="$1" candidate pyenv_root
    pyenv_root="$( (pyenv root 2>/dev/null) || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    for candidate in \
        "$(command -v "python$version" || true)" \
        "$(printf '%s\n' "$pyenv_root"/versions/"$version".*/bin/python"$version" | sort -V | tail -n 1)" \
        "$(command -v python3 || true)"; do
        if [ -n "$candidate" ] &&
            [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

# Run a command quietly; show its output only if it fails.
quiet() {
    local output
    output="$(mktemp)"
    if ! "$@" >"$output" 2>&1; then
        cat "$output" >&2
        rm -f "$output"
        echo "command failed: $*" >&2
        return 1
    fi
    rm -f "$output"
}

# Fresh copy of the working tree (tracked + untracked, not ignored) into directory $1, as a real
# directory (ansible-test refuses symlinks) and without .git.
copy_tree() {
    local dest="$1"
    rm -rf "$dest"
    mkdir -p "$dest"
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
            tar --null -T - -cf - | tar -xf - -C "$dest"
    else
        tar --exclude=./.git --exclude=./build --exclude=./.venv --exclude=./.cache --exclude=./tests/output \
            --exclude='__pycache__' --exclude='*.pyc' -cf - . | tar -xf - -C "$dest"
    fi
}

# Append "NAME<tab>SECONDS<tab>RESULT" to the file $STEP_TIMES, if it is set (see tests/utils/step_times.sh).
record_step_time() {
    [ -n "${STEP_TIMES:-}" ] || return 0
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$STEP_TIMES"
}
