#!/usr/bin/env bash
# Builds the zip to upload as a Gradescope "autograder": setup.sh, run_autograder and a copy of
# this sysemu checkout (tracked files only) under sysemu/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel)
out=${1:-$PWD/hello2-autograder.zip}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/setup.sh" "$here/run_autograder" "$work/"
mkdir "$work/sysemu"
git -C "$top" archive HEAD | tar -x -C "$work/sysemu"
(cd "$work" && zip -qr "$out" .)
echo "$out"
