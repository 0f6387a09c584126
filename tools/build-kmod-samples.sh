#!/usr/bin/env bash
# build-kmod-samples.sh - rebuild the user programs of samples/kmod (static riscv64, stripped;
# committed, so running the kernel-patch samples needs no cross compiler).
#
# Usage: tools/build-kmod-samples.sh        (needs riscv64-linux-gnu-gcc; CROSS=<prefix> for another)
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CROSS=${CROSS:-riscv64-linux-gnu-}
for src in "$ROOT"/samples/kmod/*.c; do
  out=${src%.c}
  "${CROSS}gcc" -O2 -static -Wall -Wextra -march=rv64gc -mabi=lp64d "-ffile-prefix-map=$ROOT=." -Wl,--build-id=none -o "$out" "$src"
  "${CROSS}strip" "$out"
  echo "built ${out#"$ROOT"/}"
done
