#!/usr/bin/env bash
# build-exit-component.sh - build the component that exits with wasi:cli/exit's exit-with-code.
#
#   samples/src/wasm/exit_code.wat + exit_code.wit  ->  samples/wasm/exit_code.component.wasm
#
# The core module is written in WAT because no compiler here targets preview2 directly (the
# preview1 adapter of tools/build-component.sh maps proc_exit(N) to exit(err), losing N).
# Three steps of jco's wasm-tools, through its JavaScript API:
#   parse           WAT -> core module
#   componentEmbed  + the world of exit_code.wit, with the unstable feature cli-exit-with-code
#                   enabled (exit-with-code is @unstable upstream, and the jco CLI's `embed` has
#                   no option for features)
#   componentNew    core module -> component (no adapter: the module imports preview2 itself)
# The WIT is passed as a string: jco 1.35's `embed --wit PATH` cannot read files (its wasm-tools
# runs with no preopened directory).  The output is committed, so running it needs no tool.
#
# Usage: tools/build-exit-component.sh [--check]
#   --check   build into a temporary directory and compare with the committed file
#
# Needs: the npm registry: jco is fetched on demand with
# `npx -y -p @bytecodealliance/jco@$JCO_VERSION` (not a dependency of sysemu).
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JCO_VERSION=${JCO_VERSION:-1.35.0}
NAME=exit_code

die() { echo "build-exit-component: $*" >&2; exit 1; }

check=0
case "${1:-}" in
  --check) check=1 ;;
  -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) die "unknown option $1 (see --help)" ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$ROOT/samples/wasm
[[ $check == 1 ]] && out=$tmp

cat >"$tmp/build.mjs" <<'EOF'
// node build.mjs JCO_BIN WAT WIT WORLD OUT
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
const [jcoBin, wat, wit, world, out] = process.argv.slice(2);
const api = join(dirname(realpathSync(jcoBin)), "api.js");
const { parse, componentEmbed, componentNew } = await import(pathToFileURL(api).href);
const core = await parse(readFileSync(wat, "utf8"));
const embedded = await componentEmbed({
  binary: core,
  witSource: readFileSync(wit, "utf8"),
  world,
  features: { tag: "list", val: ["cli-exit-with-code"] },
});
writeFileSync(out, await componentNew(embedded));
EOF

src=$ROOT/samples/src/wasm
# shellcheck disable=SC2016 # $0.. are the -c script's arguments
(cd "$tmp" && npx -y -p "@bytecodealliance/jco@$JCO_VERSION" -c \
  "node $(printf '%q ' "$tmp/build.mjs")"'"$(command -v jco)"'" $(printf '%q ' "$src/$NAME.wat" "$src/$NAME.wit" exit-code "$out/$NAME.component.wasm")") \
  || die "building $NAME.component.wasm failed: is the npm registry reachable? (npx -y @bytecodealliance/jco@$JCO_VERSION)"

if [[ $check == 1 ]]; then
  f=$NAME.component.wasm
  if cmp -s "$out/$f" "$ROOT/samples/wasm/$f"; then echo "same: $f"; else echo "DIFFERENT: $f"; exit 1; fi
  exit 0
fi
echo "build-exit-component: built samples/wasm/$NAME.component.wasm" >&2
