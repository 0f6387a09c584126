#!/usr/bin/env bash
# Rebuilds the hello2 assignment's test programs (samples/assignments/hello2/tests/*.c): static
# riscv64 binaries, committed so that grading needs no cross compiler for them.
set -euo pipefail
cd "$(dirname "$0")/../samples/assignments/hello2/tests"
CC=${CC:-riscv64-linux-gnu-gcc}
for src in *.c; do
  "$CC" -static -O2 -Wall -Wextra -Werror -pthread -o "${src%.c}" "$src"
  riscv64-linux-gnu-strip "${src%.c}" 2>/dev/null || true
done
