#!/usr/bin/env bash
# build-component.sh - build the WebAssembly component samples (WASI preview2).
#
#   samples/src/wasm/tour.c   ->  samples/wasm/tour.wasm              (core module, wasm32-wasi)
#   samples/wasm/<name>.wasm  ->  samples/wasm/<name>.component.wasm  (for hello and tour)
#
# A component is made from a preview1 core module with jco's preview1
# adapter (`jco new MODULE --wasi-command`), which turns each WASI preview1
# import into calls of the preview2 interfaces (wasi:cli, wasi:io,
# wasi:filesystem, wasi:clocks, wasi:random).  The outputs are committed, so
# running them needs no tool; this script is for changing them.
#
# Usage: tools/build-component.sh [--check]
#   --check   build into a temporary directory and compare with the committed files
#
# Needs: clang + lld + wasi-libc + libclang-rt-14-dev-wasm32 (Debian) for
# tour.wasm, and the npm registry: the full jco is fetched on demand with
# `npx -y @bytecodealliance/jco@$JCO_VERSION` (it is not a dependency of sysemu,
# whose runtime needs only @bytecodealliance/jco-transpile).
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JCO_VERSION=${JCO_VERSION:-1.35.0}
WASM_CC=${WASM_CC:-clang}
# the same flags as tools/build-samples.sh's wasm group
WASM_CFLAGS=(--target=wasm32-wasi -O2 -Wall -Wextra "-ffile-prefix-map=$ROOT=.")
WASM_LDFLAGS=(-Wl,--strip-debug)
COMPONENTS=(hello tour)

die() { echo "build-component: $*" >&2; exit 1; }

check=0
case "${1:-}" in
  --check) check=1 ;;
  -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) die "unknown option $1 (see --help)" ;;
esac

out=$ROOT/samples/wasm
if [[ $check == 1 ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  cp "$ROOT"/samples/wasm/hello.wasm "$out/"
fi

command -v "$WASM_CC" >/dev/null || die "$WASM_CC not found (apt install clang lld wasi-libc libclang-rt-14-dev-wasm32)"
(cd "$ROOT/samples/src" && "$WASM_CC" "${WASM_CFLAGS[@]}" -frandom-seed=tour "${WASM_LDFLAGS[@]}" wasm/tour.c -o "$out/tour.wasm") \
  || die "compiling wasm/tour.c failed"

for name in "${COMPONENTS[@]}"; do
  npx -y "@bytecodealliance/jco@$JCO_VERSION" new "$out/$name.wasm" --wasi-command -o "$out/$name.component.wasm" >/dev/null \
    || die "jco new $name.wasm failed: is the npm registry reachable? (npx -y @bytecodealliance/jco@$JCO_VERSION)"
done

if [[ $check == 1 ]]; then
  status=0
  for f in tour.wasm hello.component.wasm tour.component.wasm; do
    if cmp -s "$out/$f" "$ROOT/samples/wasm/$f"; then echo "same: $f"; else echo "DIFFERENT: $f"; status=1; fi
  done
  exit $status
fi
echo "build-component: built tour.wasm and ${#COMPONENTS[@]} components into samples/wasm" >&2
