#!/usr/bin/env bash
# build-samples.sh - rebuild the sample programs from samples/src.
#
#   samples/src/<group>/*.c|*.S  ->  samples/riscv64/<name>       (static, stripped)
#                                    samples/riscv64/dyn/<name>   (dynamically linked)
#   samples/src/wasm/*.c         ->  samples/wasm/<name>.wasm     (wasm32-wasi)
#
# The outputs are committed, so nobody needs a cross compiler to run them;
# this script is for changing a sample.  Builds are deterministic: fixed
# flags, no build id, no debug info, paths and seeds fixed, so the same
# compilers give the same bytes (--check-reproducible proves it).
#
# Usage: tools/build-samples.sh [options] [name...]
#   name...                 build only these samples (e.g. hello sieve files.wasm)
#   --no-wasm               skip the wasm group
#   --check-reproducible    build everything twice in temporary directories
#                           and compare; the committed files are not touched
#   --compare               build into a temporary directory and compare with
#                           the committed binaries (same compilers required)
#   -h, --help              this text
#
# Needs: riscv64-linux-gnu-gcc/-strip (Debian: gcc-riscv64-linux-gnu), and
# for wasm clang + lld + wasi-libc + libclang-rt-14-dev-wasm32 (Debian).
# Set CROSS=<prefix> to use another riscv64 toolchain prefix.
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/samples/src
CROSS=${CROSS:-riscv64-linux-gnu-}
CC=${CROSS}gcc
STRIP=${CROSS}strip
WASM_CC=${WASM_CC:-clang}

# Common flags.  -ffile-prefix-map and -frandom-seed keep the host's paths
# and randomness out of the objects; --build-id=none keeps the bytes fixed.
RV_CFLAGS=(-O2 -Wall -Wextra -march=rv64gc -mabi=lp64d "-ffile-prefix-map=$ROOT=.")
RV_LDFLAGS=(-Wl,--build-id=none)
WASM_CFLAGS=(--target=wasm32-wasi -O2 -Wall -Wextra "-ffile-prefix-map=$ROOT=.")
WASM_LDFLAGS=(-Wl,--strip-debug)

# The samples: "group name extra-flags...".  Extra flags go after the source.
# keep-symbols (as a flag) skips stripping: kept only where symbols are the point.
SAMPLES=(
  "basic hello"
  "basic auxv"
  "basic args_env"
  "basic hello_asm -nostdlib keep-symbols"
  "run printf -lm"
  "run malloc"
  "run qsort"
  "run string"
  "run time"
  "run clock_loop"
  "run fp -frounding-math -lm"
  "run segv"
  "run sigill"
  "run loop"
  "run exit42"
  "run cat_stdin"
  "run misaligned"
  "run atomics -latomic"
  "run bitmanip -march=rv64gc_zba_zbb_zbs"
  "bench sieve"
  "bench hash"
  "bench matmul"
  "bench sortstr"
  "bench getpid_loop"
  "bench fork_touch"
  "bench pipeline"
  "bench memloop"
  "bench crcloop"
  "fuzz fuzz_syscalls"
  "hello sys_hello"
  "hello sys_hello2"
  "hello hello3"
  "hello toy -nostdlib"
  "hello dmesg"
  "hello kmsg"
  "hello cat"
  "hello ls"
  "hello proc_auxv"
  "hello maps"
  "proc henlo"
  "proc good_parent"
  "proc zombie"
  "proc orphan"
  "proc daemon"
  "proc wild_addr"
  "proc sighup"
  "proc tgkill"
  "proc killself"
  "proc pipes"
  "proc forkbomb"
  "proc setuid_demo"
  "proc pthreads -pthread"
  "proc sigsegv_handler"
  "proc alarm"
  "proc execve"
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
)
DYN_SAMPLES=("basic hello")
WASM_SAMPLES=(hello args_env files sys_hello spin poll cputime path_dotdot)

die() { echo "build-samples: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

want_wasm=1 mode=build
selected=()
for arg in "$@"; do
  case $arg in
    --no-wasm) want_wasm=0 ;;
    --check-reproducible) mode=reproducible ;;
    --compare) mode=compare ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) selected+=("$arg") ;;
  esac
done

is_selected() { # name [wasm-name]
  [[ ${#selected[@]} -eq 0 ]] && return 0
  local s
  for s in "${selected[@]}"; do
    [[ $s == "$1" || ( -n ${2:-} && $s == "$2" ) ]] && return 0
  done
  return 1
}

# --- toolchain checks ------------------------------------------------------

command -v "$CC" >/dev/null ||
  die "cross compiler $CC not found: install gcc-riscv64-linux-gnu (Debian/Ubuntu) or set CROSS=<prefix>.
The committed binaries in samples/riscv64 run without it."
command -v "$STRIP" >/dev/null || die "$STRIP not found (binutils-riscv64-linux-gnu)"

wasm_ok=0
if [[ $want_wasm == 1 ]]; then
  probe=$(mktemp -d)
  echo 'int main(void){return 0;}' >"$probe/p.c"
  if ! command -v "$WASM_CC" >/dev/null; then
    echo "build-samples: $WASM_CC not found: skipping the wasm group (apt install clang lld wasi-libc libclang-rt-14-dev-wasm32)" >&2
  elif ! "$WASM_CC" "${WASM_CFLAGS[@]}" "$probe/p.c" -o "$probe/p.wasm" 2>"$probe/err"; then
    echo "build-samples: $WASM_CC cannot link wasm32-wasi programs: skipping the wasm group." >&2
    echo "  (Debian needs: lld wasi-libc libclang-rt-14-dev-wasm32)  first error:" >&2
    grep -m1 -i error "$probe/err" | sed 's/^/  /' >&2 || true
  else
    wasm_ok=1
  fi
  rm -rf "$probe"
fi

# --- building --------------------------------------------------------------

# build_rv OUTDIR GROUP NAME [flags...]: one riscv64 program.
build_rv() {
  local outdir=$1 group=$2 name=$3
  shift 3
  local src keep=0 extra=() link=(-static)
  for f in "$@"; do
    case $f in
      keep-symbols) keep=1 ;;
      dynamic) link=() ;;
      *) extra+=("$f") ;;
    esac
  done
  if [[ -f $SRC/$group/$name.S ]]; then src=$group/$name.S; else src=$group/$name.c; fi
  [[ -f $SRC/$src ]] || die "missing source samples/src/$src"
  # Compile from inside samples/src with a relative path: nothing host-specific
  # reaches the object (the file name is the same on every machine).
  (cd "$SRC" && "$CC" "${RV_CFLAGS[@]}" "-frandom-seed=$name" "${link[@]}" "${RV_LDFLAGS[@]}" \
    "$src" -o "$outdir/$name" "${extra[@]}") || die "compiling $src failed"
  if [[ $keep == 0 ]]; then
    "$STRIP" --strip-all "$outdir/$name"
  else
    "$STRIP" --strip-debug "$outdir/$name"
  fi
}

# build_wasm OUTDIR NAME: one wasm32-wasi module.
build_wasm() {
  local outdir=$1 name=$2
  (cd "$SRC" && "$WASM_CC" "${WASM_CFLAGS[@]}" "-frandom-seed=$name" "${WASM_LDFLAGS[@]}" \
    "wasm/$name.c" -o "$outdir/$name.wasm") || die "compiling wasm/$name.c failed"
}

# build_all DEST: everything selected into DEST/riscv64, DEST/riscv64/dyn, DEST/wasm.
build_all() {
  local dest=$1 entry count=0
  mkdir -p "$dest/riscv64/dyn" "$dest/wasm"
  for entry in "${SAMPLES[@]}"; do
    read -r -a f <<<"$entry"
    is_selected "${f[1]}" || continue
    build_rv "$dest/riscv64" "${f[@]}"
    count=$((count + 1))
  done
  for entry in "${DYN_SAMPLES[@]}"; do
    read -r -a f <<<"$entry"
    is_selected "${f[1]}" "dyn/${f[1]}" || continue
    build_rv "$dest/riscv64/dyn" "${f[@]}" dynamic
    count=$((count + 1))
  done
  if [[ $wasm_ok == 1 ]]; then
    for name in "${WASM_SAMPLES[@]}"; do
      is_selected "$name" "$name.wasm" || continue
      build_wasm "$dest/wasm" "$name"
      count=$((count + 1))
    done
  fi
  [[ $count -gt 0 ]] || die "no sample matched: ${selected[*]}"
  echo "build-samples: built $count programs into $dest" >&2
}

# same_tree A B: compares the files built in A with those in B.
same_tree() {
  local a=$1 b=$2 bad=0 rel
  while IFS= read -r rel; do
    if ! cmp -s "$a/$rel" "$b/$rel"; then
      echo "build-samples: DIFFERENT: $rel" >&2
      bad=1
    fi
  done < <(cd "$a" && find . -type f | sort)
  return $bad
}

case $mode in
  build)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    build_all "$tmp"
    mkdir -p "$ROOT/samples/riscv64/dyn" "$ROOT/samples/wasm"
    (cd "$tmp" && find . -type f) | while IFS= read -r rel; do
      install -m 0755 "$tmp/$rel" "$ROOT/samples/$rel"
    done
    echo "build-samples: installed into samples/riscv64 and samples/wasm" >&2
    ;;
  reproducible)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    build_all "$tmp/one"
    build_all "$tmp/two"
    same_tree "$tmp/one" "$tmp/two" || die "two builds differ: not reproducible"
    echo "build-samples: two builds are byte for byte identical" >&2
    ;;
  compare)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    build_all "$tmp"
    same_tree "$tmp" "$ROOT/samples" || die "committed binaries differ from a fresh build"
    echo "build-samples: committed binaries match a fresh build" >&2
    ;;
esac
