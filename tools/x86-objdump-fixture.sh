#!/bin/sh
# Rebuilds test/cpu-x86/fixtures/objdump.txt: encodings assembled by the host `as` and the
# text `objdump -d -M intel` gives for them ("hexbytes<TAB>text" per line), for disasm tests.
set -e
src=$(dirname "$0")/../test/cpu-x86/fixtures/encodings.s
out=$(dirname "$0")/../test/cpu-x86/fixtures/objdump.txt
tmp=$(mktemp -d)
as "$src" -o "$tmp/e.o"
objdump -d -M intel "$tmp/e.o" | awk -F'\t' 'NF >= 3 { gsub(/ /, "", $2); b = $2; t = $3; gsub(/  +/, " ", t); print b "\t" t } NF == 2 && $2 != "" { gsub(/ /, "", $2); print "+" $2 }' > "$tmp/raw"
# objdump splits long instructions over lines: join the continuation bytes ("+...") back
awk -F'\t' '/^\+/ { prev = prev substr($0, 2); next } { if (line != "") print prevb prev "\t" prevt; prevb = $1; prevt = $2; prev = ""; line = 1 } END { print prevb prev "\t" prevt }' "$tmp/raw" > "$out"
rm -r "$tmp"
