#!/usr/bin/env bash
# build-fixtures.sh - rebuild the riscv64 test programs in test/*/fixtures from their C sources.
#
# Like the samples, the binaries are committed so the tests run without a cross compiler;
# the flags are build-samples.sh's (static, stripped, no build id, fixed paths and seeds).
#
# Usage: tools/build-fixtures.sh [source.c...]   (default: every test/*/fixtures/*.c)
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CROSS=${CROSS:-riscv64-linux-gnu-}
command -v "${CROSS}gcc" >/dev/null ||
  { echo "build-fixtures: ${CROSS}gcc not found: install gcc-riscv64-linux-gnu or set CROSS=<prefix>" >&2; exit 1; }

cd "$ROOT"
if [ $# -eq 0 ]; then set -- test/*/fixtures/*.c; fi
for src in "$@"; do
  out=${src%.c}
  name=$(basename "$out")
  "${CROSS}gcc" -O2 -Wall -Wextra -march=rv64gc -mabi=lp64d "-ffile-prefix-map=$ROOT=." \
    "-frandom-seed=$name" -static -pthread "$src" -Wl,--build-id=none -o "$out"
  "${CROSS}strip" --strip-all "$out"
  echo "built $out"
done
