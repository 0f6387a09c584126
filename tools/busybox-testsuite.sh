#!/usr/bin/env bash
# BusyBox's own test suite, run entirely inside sysemu and natively, with the counts compared.
#
#   BUSYBOX_SRC=DIR tools/busybox-testsuite.sh [applet...]
#
# DIR is a BusyBox source tree (nothing of it is copied into this repository). The same
# configuration (defconfig, CONFIG_STATIC=y, tc off: it does not build against recent kernel
# headers) is built twice, for riscv64 with riscv64-linux-gnu-gcc and for the host, out of tree in
# $BB_WORK (default /tmp/bb-testsuite). Each build gets a root directory of its own: /bb holds
# busybox and its .config (runtest's $bindir), /bin/sh is busybox, /testsuite a copy of the suite.
# The riscv64 one runs as `sysemu run --root ROOT /bb/busybox sh -c 'cd /testsuite && ./runtest'`
# (the shell, every fork, exec, pipe and applet emulated), the native one the same way under
# chroot(8) when run as root (else with the host's /bin/sh for #! lines). Printed: PASS, FAIL,
# SKIPPED/UNTESTED counts and wall times of both, and the tests passing natively but failing in
# sysemu. BB_SKIP lists applets to leave out. BB_TIMEOUT (seconds, default 3600) bounds each run; BB_JOBS the make jobs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${BUSYBOX_SRC:?set BUSYBOX_SRC to a BusyBox source tree}"
src="$(cd "$src" && pwd)"
work="${BB_WORK:-/tmp/bb-testsuite}"
jobs="${BB_JOBS:-2}"
limit="${BB_TIMEOUT:-3600}"
[ -x "$src/testsuite/runtest" ] || { echo "busybox-testsuite: $src/testsuite/runtest not found" >&2; exit 2; }
mkdir -p "$work"

build() { # build NAME CROSS_PREFIX
  local obj="$work/build-$1"
  if [ -x "$obj/busybox" ] && [ "$obj/busybox" -nt "$obj/.config" ]; then return; fi
  mkdir -p "$obj"
  make -s -C "$src" O="$obj" defconfig >/dev/null
  sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' "$obj/.config"
  make -s -C "$obj" oldconfig </dev/null >/dev/null
  echo "busybox-testsuite: building $1 in $obj" >&2
  make -s -C "$obj" -j"$jobs" CROSS_COMPILE="$2" busybox >"$obj/build.log" 2>&1 ||
    { tail -20 "$obj/build.log" >&2; echo "busybox-testsuite: the $1 build failed" >&2; exit 1; }
}

mkroot() { # mkroot NAME -> a fresh root with /bb, /bin/sh, /tmp, /dev and /testsuite
  local root="$work/root-$1"
  rm -rf "$root"
  mkdir -p "$root/bb" "$root/bin" "$root/tmp" "$root/dev" "$root/etc"
  chmod 1777 "$root/tmp"
  cp "$work/build-$1/busybox" "$work/build-$1/.config" "$root/bb/"
  # runtest needs sed, grep, xargs... before it makes its own links: every applet in /bin
  for a in $("$work/build-native/busybox" --list); do ln -sf /bb/busybox "$root/bin/$a"; done
  cp -a "$src/testsuite" "$root/testsuite"
  echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
  if [ "$(id -u)" = 0 ]; then
    for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
      IFS=: read -r n ma mi <<<"$d"; mknod -m 666 "$root/dev/$n" c "$ma" "$mi"
    done
  fi
  echo "$root"
}

# runsuite NAME COMMAND... -> the log in $work/NAME.log; on stdout "WALLs wall, CPUs CPU": the
# CPU time (user+sys of the run's processes, from `times` in this subshell) is the figure to
# compare on a busy machine, where the wall time is mostly waiting for a core.
runsuite() {
  local log="$work/$1.log" t0 t1 cpu; shift
  t0=$(date +%s.%N)
  timeout --foreground -k 10 "$limit" "$@" >"$log" 2>&1 || true
  t1=$(date +%s.%N)
  times >"$log.times" # not in a pipeline: that would be another process, with children of its own
  cpu=$(tail -1 "$log.times" | awk '{ for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } printf "%.1f", s }')
  echo "$t0 $t1" | awk -v cpu="$cpu" '{ printf "%.1fs wall, %ss CPU", $2 - $1, cpu }'
}

counts() { # PASS FAIL SKIP of a log
  local p f s
  p=$(grep -c '^PASS: ' "$1" || true); f=$(grep -c '^FAIL: ' "$1" || true)
  s=$(grep -cE '^(SKIPPED|UNTESTED): ' "$1" || true)
  echo "PASS $p  FAIL $f  SKIPPED $s"
}

build riscv64 riscv64-linux-gnu-
build native ""
[ -f "$here/dist/sysemu.cjs" ] || (cd "$here" && node tools/build.mjs)

args="${*:-}"
# BB_SKIP: applets left out of a full run (e.g. "bc": its number-parsing test is 10^11 guest
# instructions, an hour of emulated CPU); both runs leave them out, so the counts compare.
if [ -z "$args" ] && [ -n "${BB_SKIP:-}" ]; then
  args=$("$work/build-native/busybox" --list | grep -vxF -f <(printf '%s\n' $BB_SKIP) | tr '\n' ' ')
  args="busybox $args"
fi
inner="cd /testsuite && bindir=/bb PATH=/bb:/bin ./runtest $args"
rv_root=$(mkroot riscv64)
nat_root=$(mkroot native)
if [ "$(id -u)" = 0 ]; then
  nat_time=$(runsuite native chroot "$nat_root" /bb/busybox sh -c "$inner")
else
  nat_time=$(runsuite native env -C "$nat_root/testsuite" bindir="$nat_root/bb" PATH="$nat_root/bb:$PATH" ./runtest $args)
fi

echo "busybox-testsuite: native done in ${nat_time}, now under sysemu (log: $work/sysemu.log)" >&2
rv_time=$(runsuite sysemu "$here/bin/sysemu" run --root "$rv_root" "$rv_root/bb/busybox" sh -c "$inner")
echo "native: $(counts "$work/native.log")  in ${nat_time}"
echo "sysemu: $(counts "$work/sysemu.log")  in ${rv_time}"
grep '^PASS: ' "$work/native.log" | sed 's/^PASS: //' | sort -u >"$work/native.pass"
grep '^PASS: ' "$work/sysemu.log" | sed 's/^PASS: //' | sort -u >"$work/sysemu.pass"
missing=$(comm -23 "$work/native.pass" "$work/sysemu.pass")
if [ -n "$missing" ]; then
  echo "passing natively, not under sysemu ($(echo "$missing" | wc -l)):"
  echo "$missing" | sed 's/^/  /'
fi
echo "logs: $work/native.log $work/sysemu.log"
