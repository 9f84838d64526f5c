#!/usr/bin/env bash
# Print what git sees of the working tree: the files modified, staged or untracked (and not ignored), and a checksum
# of the changes to tracked files. make test prints it before and after its runs: the two must be the same, since no
# test may write a file that git tracks or would show (reports go to build/ or a temporary directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "not a git work tree"
    exit 0
fi
git status --porcelain=v1 --untracked-files=all
git diff HEAD --binary | cksum
