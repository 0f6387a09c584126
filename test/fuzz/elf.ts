// ELF mutants through exec, riscv64 and x86-64: the samples' headers, program headers, PT_INTERP and the dynamic
// loader itself corrupted, files truncated, segments made to overlap or to be huge, each run as
// `sysemu run --root TMP` in process (the guest's stdout is the worker's, /dev/null). A mutant
// must end as a one-line error with status 126, or run: never an exception out of sysemu, an
// oops, or a hang.

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCommand } from "../../src/cli/run.ts";
import { caseSeed, Prng } from "./prng.ts";
import { captured, judge, report, type Finding } from "./report.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A dynamic loader a seed program names in PT_INTERP: where the guest finds it, where the host has it. */
interface Loader {
  guest: string;
  host: string;
  /** The libc it loads: [guest path, host path]. */
  libc: [string, string];
}

const LOADERS: Record<string, Loader> = {
  riscv64: { guest: "lib/ld-linux-riscv64-lp64d.so.1", host: "/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1", libc: ["lib/libc.so.6", "/usr/riscv64-linux-gnu/lib/libc.so.6"] },
  x86_64: { guest: "lib64/ld-linux-x86-64.so.2", host: "/lib64/ld-linux-x86-64.so.2", libc: ["lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"] },
};

interface Seedfile {
  name: string;
  bytes: Uint8Array;
  /** A dynamically linked seed: its loader, present in the --root (and sometimes mutated too). */
  loader?: Loader;
}

function seeds(): Seedfile[] {
  const out: Seedfile[] = [];
  const add = (name: string, path: string, loader?: Loader) => {
    if (existsSync(path) && (!loader || existsSync(loader.host))) out.push({ name, bytes: new Uint8Array(readFileSync(path)), loader });
  };
  for (const n of ["hello", "hello_asm", "exit42", "pthreads"]) add(n, join(ROOT, "samples/riscv64", n));
  add("dyn/hello", join(ROOT, "samples/riscv64/dyn/hello"), LOADERS.riscv64);
  for (const n of ["hello", "exit42", "pthreads"]) add(`x86_64/${n}`, join(ROOT, "samples/x86_64", n));
  add("x86_64 /bin/true", "/bin/true", LOADERS.x86_64); // a PIE through the host's own ld.so
  return out;
}

const SPECIAL = [0n, 1n, 0x1000n, 0xfffn, 0x7fffffffn, 0xffffffffn, 0x3fffffffffn, 0x4000000000n, 1n << 47n, 1n << 56n,
  (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - 0x1000n, 0x10000n, 0x10000000n];

function u64Special(r: Prng, dv: DataView, off: number): bigint {
  switch (r.below(4)) {
    case 0: return r.pick(SPECIAL);
    case 1: return r.u64();
    case 2: return dv.getBigUint64(off, true) + BigInt(r.below(0x2000)) - 0x1000n; // near the old value
    default: return BigInt(r.below(dv.byteLength * 2));
  }
}

/** One corruption of `b` (in place; may return a shorter copy). */
function mutateOnce(r: Prng, b: Uint8Array): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 64) return b;
  const phoff = Number(dv.getBigUint64(0x20, true)), phnum = dv.getUint16(0x38, true);
  const phdrOk = phoff > 0 && phoff + phnum * 56 <= b.length && phnum > 0;
  const set64 = (off: number, v: bigint) => { if (off + 8 <= b.length) dv.setBigUint64(off, BigInt.asUintN(64, v), true); };
  switch (r.below(10)) {
    case 0: { // bytes of the ELF header
      for (let i = r.below(3) + 1; i > 0; i--) b[r.below(64)] = r.below(256);
      return b;
    }
    case 1: { // e_entry, e_phoff, e_phnum, e_phentsize, e_type
      const f = r.pick([0x18, 0x20, 0x38, 0x36, 0x10]);
      if (f === 0x18 || f === 0x20) set64(f, u64Special(r, dv, f));
      else dv.setUint16(f, r.pick([0, 1, 2, 3, 56, 64, 0xffff, r.below(0x10000), phnum + 1]), true);
      return b;
    }
    case 2: case 3: case 4: { // a program header field
      if (!phdrOk) return b;
      const ph = phoff + 56 * r.below(phnum);
      const f = r.pick([0, 4, 8, 16, 24, 32, 40, 48]);
      if (f === 0) dv.setUint32(ph, r.pick([0, 1, 2, 3, 4, 6, 7, 0x6474e551, 0x6474e552, 0x70000003, r.u32()]), true);
      else if (f === 4) dv.setUint32(ph + 4, r.below(8) | (r.below(4) === 0 ? r.u32() : 0), true);
      else set64(ph + f, u64Special(r, dv, ph + f));
      return b;
    }
    case 5: { // truncation
      return b.slice(0, r.below(4) === 0 ? r.below(256) : r.below(b.length));
    }
    case 6: { // one segment copied over another: overlapping, or the same twice
      if (!phdrOk || phnum < 2) return b;
      const a = phoff + 56 * r.below(phnum), c = phoff + 56 * r.below(phnum);
      b.copyWithin(a, c, c + 56);
      if (r.below(2)) set64(a + 16, dv.getBigUint64(a + 16, true) + BigInt(r.below(3) * 0x1000));
      return b;
    }
    case 7: { // a huge segment
      if (!phdrOk) return b;
      const ph = phoff + 56 * r.below(phnum);
      set64(ph + 40, r.pick([1n << 32n, 1n << 40n, 1n << 46n, (1n << 64n) - 1n, 0x7fffffffn]));
      return b;
    }
    case 8: { // PT_INTERP: its string, or a note turned into one
      if (!phdrOk) return b;
      for (let i = 0; i < phnum; i++) {
        const ph = phoff + 56 * i, type = dv.getUint32(ph, true);
        if (type === 3 || (type === 4 && r.below(2))) {
          dv.setUint32(ph, 3, true);
          const off = Number(dv.getBigUint64(ph + 8, true)), len = Number(dv.getBigUint64(ph + 32, true));
          if (off + len <= b.length && len > 0) {
            const choice = r.below(5);
            if (choice === 0) b.fill(0x41, off, off + len); // no NUL
            else if (choice === 1) b[off] = 0; // empty
            else if (choice === 2) b.set(new TextEncoder().encode("/\0").subarray(0, len), off);
            else if (choice === 3) b.set(new TextEncoder().encode("/prog\0").subarray(0, len), off); // itself
            else set64(ph + 32, r.pick([0n, 1n, 4096n, 1n << 40n]));
          }
          return b;
        }
      }
      return b;
    }
    default: { // anywhere
      for (let i = r.below(16) + 1; i > 0; i--) b[r.below(b.length)] = r.below(256);
      return b;
    }
  }
}

function mutate(r: Prng, src: Uint8Array): Uint8Array {
  let b: Uint8Array = new Uint8Array(src); // a copy (Buffer.slice would be a view)
  for (let n = r.below(3) + 1; n > 0; n--) b = mutateOnce(r, b);
  return b;
}

/** A --root holding each loader and its libc, and /tmp. */
function prepareRoot(dir: string, files: Seedfile[]): void {
  mkdirSync(join(dir, "tmp"), { recursive: true });
  for (const l of new Set(files.flatMap((f) => (f.loader ? [f.loader] : [])))) {
    for (const [guest, host] of [[l.guest, l.host], l.libc]) {
      mkdirSync(dirname(join(dir, guest!)), { recursive: true });
      copyFileSync(host!, join(dir, guest!));
    }
  }
}

export async function fuzzElf(seed: number, count: number, dir: string, findings: Finding[], progress: (i: number) => void): Promise<number> {
  const files = seeds();
  prepareRoot(dir, files);
  const loaders = new Map<Loader, Uint8Array>();
  for (const f of files) if (f.loader) loaders.set(f.loader, new Uint8Array(readFileSync(f.loader.host)));
  const prog = join(dir, "prog");
  let ran = 0;
  for (let i = 0; i < count; i++) {
    progress(i);
    const r = new Prng(caseSeed(seed, i));
    const f = r.pick(files);
    writeFileSync(prog, mutate(r, f.bytes), { mode: 0o755 });
    const loaderMutant = f.loader !== undefined && r.below(3) === 0;
    for (const [l, bytes] of loaders) writeFileSync(join(dir, l.guest), loaderMutant && l === f.loader ? mutate(r, bytes) : bytes);
    const out = await captured(() => runCommand(prog, [], { root: dir, maxInsns: 2_000_000, timeout: 10, clearEnv: true, env: ["PATH=/"] }));
    if (out.thrown === undefined) ran++;
    if (process.env.FUZZ_VERBOSE) report(`elf ${i}: ${f.name}: ${out.thrown instanceof Error ? out.thrown.message : `ran: ${out.err.trim()}`}`);
    const why = judge(out, [126]);
    if (why) findings.push({ kind: "elf", seed, index: i, detail: `${f.name}${loaderMutant ? " (ld.so mutated)" : ""}: ${why}` });
  }
  return ran;
}
