#!/usr/bin/env bash
# build-samples-x86.sh - rebuild the x86-64 samples from samples/src with the host's gcc.
#
#   samples/src/<group>/<name>.c  ->  samples/x86_64/<name>   (gcc -O2 -static, stripped)
#
# The same sources as the riscv64 samples (tools/build-samples.sh), less those written for
# riscv (inline asm, riscv-only instructions). The outputs are committed so that the tests run
# without rebuilding; test/diff/x86-samples.test.ts runs each natively and under sysemu.
# Builds are deterministic: fixed flags, no build id, paths fixed.
#
# Usage: tools/build-samples-x86.sh [name...]
# Needs: gcc and glibc's static libraries for x86-64 (Debian: gcc, libc6-dev).
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/samples/src
OUT=$ROOT/samples/x86_64
CC=${CC:-gcc}
CFLAGS=(-O2 -Wall -Wextra "-ffile-prefix-map=$ROOT=." -frandom-seed=sysemu)
LDFLAGS=(-static -Wl,--build-id=none)

# "group name extra-flags..."
SAMPLES=(
  "basic hello" "basic auxv" "basic args_env"
  "run printf -lm" "run malloc" "run qsort" "run string" "run time" "run clock_loop"
  "run segv" "run loop" "run exit42" "run cat_stdin"
  "bench sieve" "bench hash" "bench matmul" "bench sortstr" "bench getpid_loop" "bench fork_touch"
  "hello sys_hello" "hello sys_hello2" "hello hello3" "hello cat" "hello ls" "hello proc_auxv"
  "hello maps" "hello dmesg" "hello kmsg"
  "proc henlo" "proc good_parent" "proc zombie" "proc orphan" "proc daemon" "proc sighup"
  "proc tgkill" "proc killself" "proc pipes" "proc forkbomb" "proc setuid_demo" "proc pthreads -pthread"
  "proc sigsegv_handler" "proc alarm" "proc execve" "proc wild_addr"
  "calls data_limit"
  "calls sock_timeo"
  "calls memfd_seals"
  "calls utimensat_ns"
  "calls cpu_sleep -pthread"
  "wasm path_dotdot"
  "calls mqueue"
  "calls inotify"
  "calls inet6"
  "calls gai_localhost"
  "calls mounts"
  "calls mountprop"
  "calls ifaddrs"
  "fuzz fuzz_syscalls"
  "x86 mmx_cvt"
)

command -v "$CC" >/dev/null || { echo "build-samples-x86: $CC not found" >&2; exit 1; }
[[ $(uname -m) == x86_64 ]] || echo "build-samples-x86: warning: not an x86-64 host; set CC to an x86-64 gcc" >&2
mkdir -p "$OUT"
for entry in "${SAMPLES[@]}"; do
  read -r group name extra <<<"$entry"
  if [[ $# -gt 0 ]] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  # shellcheck disable=SC2086
  "$CC" "${CFLAGS[@]}" -o "$OUT/$name" "$SRC/$group/$name.c" ${extra:-} "${LDFLAGS[@]}"
  strip "$OUT/$name"
  echo "samples/x86_64/$name"
done
