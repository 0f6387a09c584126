#!/usr/bin/env bash
# samples-check.sh - run the committed samples and check what they print.
#
# Usage: tools/samples-check.sh [--runner "CMD"] [--timeout S]
#
# Without --runner: runs every line of samples/diffable.txt under qemu-riscv64
#   and checks its exit status against samples/expect.json (0 when absent).
# With --runner "CMD" (e.g. --runner "bin/sysemu run"): runs each line under
#   CMD too and compares stdout and exit status with qemu-riscv64's, byte for
#   byte; then runs the riscv64 entries of expect.json that name a stdoutFile
#   under CMD and compares with that file.  Without qemu-riscv64 on PATH only
#   the expect.json checks are done.
# Every run gets empty stdin and the same small environment.
# Ends with "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$ROOT/samples
runner="" limit=120
while [[ $# -gt 0 ]]; do
  case $1 in
    --runner) runner=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "samples-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

have_qemu=0
command -v qemu-riscv64 >/dev/null && have_qemu=1
[[ $have_qemu == 1 || -n $runner ]] || { echo "samples-check: neither qemu-riscv64 nor --runner" >&2; exit 2; }

# expect.json as tab-separated "key exit qemu-exit stdoutFile" lines.
expectations=$(node -e '
  const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const [k, v] of Object.entries(e))
    console.log([k, v.exit ?? 0, v.qemu?.exit ?? v.exit ?? 0, v.stdoutFile ?? ""].join("\t"));
' "$S/expect.json") || { echo "samples-check: cannot read expect.json" >&2; exit 2; }

# expected_exit KEY FIELD(2=kernel, 3=qemu) -> prints the expected status.
expected_exit() {
  local line
  line=$(grep -P "^\Q$1\E\t" <<<"$expectations" | head -1)
  if [[ -n $line ]]; then cut -f"$2" <<<"$line"; else echo 0; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# run OUT PREFIX... : runs a command with empty stdin and a fixed environment;
# stdout goes to OUT, the status (128+signal for a signal death) is printed.
run() {
  local out=$1
  shift
  # The outer braces silence bash's own "Segmentation fault" job reports.
  { (cd "$ROOT" && env -i PATH="$PATH" HOME=/nonexistent LANG=C TERM=dumb SYSEMU_SAMPLE=42 \
    timeout -s KILL "$limit" "$@" </dev/null >"$out" 2>"$out.err"); } 2>/dev/null
  echo $?
}

verdict() { # ok message
  if [[ $1 == 1 ]]; then passed=$((passed + 1)); echo "PASS $2"; else failed=$((failed + 1)); echo "FAIL $2"; fi
}

while read -r name args; do
  [[ -z $name || $name == \#* ]] && continue
  key="$name${args:+ $args}"
  bin=samples/riscv64/$name
  # shellcheck disable=SC2086
  if [[ $have_qemu == 1 ]]; then
    qs=$(run "$tmp/q" qemu-riscv64 "$bin" $args)
    want=$(expected_exit "$key" 3)
    [[ $qs == "$want" ]]; verdict $((! $?)) "qemu    $key (exit $qs, expected $want)"
  fi
  if [[ -n $runner ]]; then
    # shellcheck disable=SC2086
    rs=$(run "$tmp/r" $runner "$bin" $args)
    want=$(expected_exit "$key" 2)
    if [[ $have_qemu == 1 ]]; then
      same=0
      cmp -s "$tmp/q" "$tmp/r" && [[ $rs == "$qs" ]] && same=1
      verdict $same "runner  $key (exit $rs, qemu $qs; stdout $(cmp -s "$tmp/q" "$tmp/r" && echo same || echo DIFFERENT))"
    else
      [[ $rs == "$want" ]]; verdict $((! $?)) "runner  $key (exit $rs, expected $want)"
    fi
  fi
done <"$S/diffable.txt"

if [[ -n $runner ]]; then
  while IFS=$'\t' read -r key kexit _ file; do
    [[ -z $file || $key == *.wasm* ]] && continue
    read -r name args <<<"$key"
    # shellcheck disable=SC2086
    rs=$(run "$tmp/r" $runner "samples/riscv64/$name" $args)
    ok=0
    [[ $rs == "$kexit" ]] && cmp -s "$tmp/r" "$S/$file" && ok=1
    verdict $ok "expect  $key (exit $rs, expected $kexit; stdout vs $file)"
  done <<<"$expectations"
fi

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
