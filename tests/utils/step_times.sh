#!/usr/bin/env bash
# Time the steps of make test, make test-matrix and make quick, and print them as a table at their end.
#
# Usage: tests/utils/step_times.sh run NAME COMMAND...   run COMMAND, append "NAME<tab>SECONDS<tab>ok|FAILED" to
#                                                         $STEP_TIMES, and exit with COMMAND's status
#        tests/utils/step_times.sh report TITLE          print $STEP_TIMES as a table with the total, e.g.
#                                                           2.16 integration   296 s  ok
# tests/utils/ansible_test.sh appends its own steps ("2.16 sanity", "2.16 setup" for its venv and copy) to the same
# file when STEP_TIMES is set.
set -euo pipefail

# shellcheck source=tests/utils/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -n "${STEP_TIMES:-}" ] || { echo "ERROR: $0: set STEP_TIMES to the file of step times" >&2; exit 1; }
case "${1:-}" in
    run)
        [ $# -ge 3 ] || { echo "usage: $0 run NAME COMMAND..." >&2; exit 1; }
        name="$2"
        shift 2
        start=$SECONDS
        status=0
        "$@" || status=$?
        if [ "$status" -eq 0 ]; then result=ok; else result=FAILED; fi
        record_step_time "$name" $((SECONDS - start)) "$result"
        exit "$status"
        ;;
    report)
        echo
        echo "==> ${2:-steps}: seconds per step"
        [ -s "$STEP_TIMES" ] || { echo "  (no step recorded)"; exit 0; }
        awk -F '\t' '
            { printf "  %-22s %5d s  %s\n", $1, $2, $3; total += $2 }
            $3 == "FAILED" { failed = failed sep $1; sep = ", " }
            END { printf "  %-22s %5d s  %s\n", "total", total, failed == "" ? "ok" : "FAILED: " failed }
        ' "$STEP_TIMES"
        ;;
    *)
        echo "usage: $0 run NAME COMMAND... | report TITLE" >&2
        exit 1
        ;;
esac
