// Random machine code through each CPU: a minimal static ELF whose one segment is random
// instruction bytes (riscv64 words of every opcode and compressed forms; x86-64 bytes with
// prefixes, escapes and ModRM forms over-represented), run in process by the real CLI under
// --root TMP with an instruction budget. The code may do anything a program can: trap with
// SIGILL, SIGSEGV, SIGBUS, SIGFPE or SIGTRAP, make random system calls, write over itself (the
// segment is writable half the time), loop until the budget ends it. It must never end as an
// exception out of sysemu, an oops, or a hang. The translation tier sees the loops that form.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/cli/run.ts";
import { caseSeed, Prng } from "./prng.ts";
import { captured, judge, report, type Finding } from "./report.ts";

const EM_X86_64 = 62, EM_RISCV = 243;
const BASE = 0x10000n;
const CODE = 4096;

/** ELF header, one PT_LOAD of the whole file at BASE, entry at the code after the headers. */
function elf(machine: number, code: Uint8Array, writable: boolean): Uint8Array {
  const hdr = 64 + 56;
  const b = new Uint8Array(hdr + code.length);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BASE + BigInt(hdr), true);
  v.setBigUint64(32, 64n, true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, 1, true);
  if (machine === EM_RISCV) v.setUint32(48, 0x5, true); // EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, writable ? 7 : 5, true);
  v.setBigUint64(72, 0n, true);
  v.setBigUint64(80, BASE, true);
  v.setBigUint64(88, BASE, true);
  v.setBigUint64(96, BigInt(b.length), true);
  v.setBigUint64(104, BigInt(b.length), true);
  v.setBigUint64(112, 0x1000n, true);
  b.set(code, hdr);
  return b;
}

/** riscv64: 32-bit words with a random major opcode, compressed halves, and a few ecalls. */
function riscvCode(r: Prng): Uint8Array {
  const b = new Uint8Array(CODE);
  const v = new DataView(b.buffer);
  for (let i = 0; i + 4 <= CODE;) {
    const k = r.below(10);
    if (k < 2) { v.setUint16(i, (r.u32() & 0xfffc) | r.below(3), true); i += 2; continue; } // C.*: low bits 00, 01, 10
    if (k === 2 && r.below(8) === 0) { v.setUint32(i, 0x00000073, true); i += 4; continue; } // ecall
    const opcode = (r.below(32) << 2) | 3;
    v.setUint32(i, ((r.u32() & ~0x7f) | opcode) >>> 0, true);
    i += 4;
  }
  return b;
}

// x86-64 bytes that lead the decoder into its deeper tables.
const X86_LEAD = [0x66, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x64, 0x65, 0x67, 0x0f, 0x0f, 0x0f, 0x48, 0x49, 0x4c, 0x4d, 0x41, 0x44];
const X86_ESC2 = [0x38, 0x3a, 0x0f, 0x01, 0xae, 0xc7, 0xba, 0x1f, 0x0b, 0xa2];

/** x86-64: random bytes, with prefixes, 0f escapes and syscall (0f 05) over-represented. */
function x86Code(r: Prng): Uint8Array {
  const b = new Uint8Array(CODE);
  for (let i = 0; i < CODE; i++) {
    const k = r.below(12);
    if (k === 0) b[i] = r.pick(X86_LEAD);
    else if (k === 1 && i + 1 < CODE) { b[i++] = 0x0f; b[i] = r.pick(X86_ESC2); }
    else if (k === 2 && r.below(16) === 0 && i + 1 < CODE) { b[i++] = 0x0f; b[i] = 0x05; }
    else b[i] = r.below(256);
  }
  return b;
}

export async function fuzzCpu(seed: number, count: number, dir: string, findings: Finding[], progress: (i: number) => void): Promise<{ riscv64: number; x86_64: number }> {
  const prog = join(dir, "prog");
  const ran = { riscv64: 0, x86_64: 0 };
  for (let i = 0; i < count; i++) {
    progress(i);
    const r = new Prng(caseSeed(seed, i));
    const arch = i % 2 === 0 ? "riscv64" : "x86_64";
    const code = arch === "riscv64" ? riscvCode(r) : x86Code(r);
    writeFileSync(prog, elf(arch === "riscv64" ? EM_RISCV : EM_X86_64, code, r.below(2) === 0), { mode: 0o755 });
    const out = await captured(() => runCommand(prog, [], { root: dir, maxInsns: 200_000, timeout: 3, clearEnv: true, env: ["PATH=/"] }));
    if (out.thrown === undefined) ran[arch]++;
    if (process.env.FUZZ_VERBOSE) report(`cpu ${i} ${arch}: ${out.thrown instanceof Error ? out.thrown.message : `ran: ${out.err.trim()}`}`);
    const why = judge(out, []);
    if (why) findings.push({ kind: `cpu ${arch}`, seed, index: i, detail: why });
  }
  return ran;
}
