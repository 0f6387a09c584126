// Intel-syntax text of one instruction (as `objdump -d -M intel` writes it, roughly), for
// --strace, fault messages and tests. It decodes with the same tables as the CPU.

import { decodeAt } from "./decode.ts";
import { CC_NAMES } from "./flags.ts";
import type { Insn } from "./insn.ts";
import { SEG_FS, SEG_GS } from "./insn.ts";
import { FAULT } from "./mmu.ts";

const R64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
const R32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"];
const R16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"];
const R8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b", "ah", "ch", "dh", "bh"];
const PTR: Record<number, string> = { 1: "BYTE", 2: "WORD", 4: "DWORD", 8: "QWORD", 10: "TBYTE", 16: "XMMWORD" };

export function regName(r: number, size: number): string {
  return (size === 8 ? R64 : size === 4 ? R32 : size === 2 ? R16 : R8)[r] ?? `r?${r}`;
}

const hex = (n: number) => (n < 0 ? "-0x" + (-n).toString(16) : "0x" + n.toString(16));

/** The instruction at the start of `bytes`, located at rip. */
export function disasm(bytes: Uint8Array, rip: number): string {
  let d: Insn;
  try {
    d = decodeAt({ fetchByte: (a) => { const b = bytes[a - rip]; if (b === undefined) throw FAULT; return b; } }, rip);
  } catch {
    return "(bad)";
  }
  return format(d);
}

/** The length of the instruction at the start of bytes (1 for undecodable bytes). */
export function insnLength(bytes: Uint8Array, rip: number): number {
  try {
    return decodeAt({ fetchByte: (a) => { const b = bytes[a - rip]; if (b === undefined) throw FAULT; return b; } }, rip).len;
  } catch {
    return 1;
  }
}

export function format(d: Insn): string {
  const e = d.ent;
  if (e === null) return "(bad)";
  let m = e.mnem;
  if (m === "j" || m === "set" || m === "cmov") m += CC_NAMES[d.op & 15];
  if (m === "cbw") m = d.osz === 8 ? "cdqe" : d.osz === 4 ? "cwde" : "cbw";
  if (m === "cwd") m = d.osz === 8 ? "cqo" : d.osz === 4 ? "cdq" : "cwd";
  if (m === "cmpxchg8b" && d.osz === 8) m = "cmpxchg16b";
  if (m === "xchg" && e.ops[0] === "Zv" && d.rm === 0 && d.osz !== 2) return "nop";
  if (d.lock) m = "lock " + m;
  if (/^(movs|cmps|stos|lods|scas)b?$/.test(m)) return stringText(d, m.slice(0, 4));
  if (m === "mov" && (e.ops[1] === "Iv" && d.osz === 8 || e.ops.some((o) => o[0] === "O"))) m = "movabs";
  if (m === "movd" && d.osz === 8) m = "movq";
  const ops = e.ops.map((o, k) => operand(d, o, e.ops.slice(0, k).some((p) => p[0] === "I"))).filter((s) => s !== "");
  const text = ops.length ? `${m} ${ops.join(",")}` : m;
  // objdump puts the target of a rip-relative operand at the end of the line
  const note = / # 0x[0-9a-f]+/.exec(text);
  return note === null ? text : text.replace(note[0], "") + note[0];
}

// objdump's form: both implicit operands spelled out, rep/repz/repnz by instruction
function stringText(d: Insn, m: string): string {
  const p = `${PTR[d.osz]} PTR `;
  const di = `${p}es:[rdi]`, si = `${p}ds:[rsi]`, acc = regName(0, d.osz);
  const ops = { movs: [di, si], stos: [di, acc], lods: [acc, si], scas: [acc, di], cmps: [si, di] }[m]!;
  const rep = d.rep === 0 ? "" : d.rep === 0xf2 ? "repnz " : m === "cmps" || m === "scas" ? "repz " : "rep ";
  return `${rep}${m} ${ops.join(",")}`;
}

function memSize(d: Insn, o: string): number {
  const t = o.slice(1);
  switch (t) {
    case "b": return 1;
    case "w": return 2;
    case "d": case "ss": return 4;
    case "q": case "sd": return d.ent!.mnem === "cmpxchg8b" && d.osz === 8 ? 16 : 8;
    case "t": return 10;
    case "x": return 16;
    case "y": return d.osz === 8 ? 8 : 4;
    case "": return 0;
    default: return d.osz;
  }
}

function mem(d: Insn, size: number): string {
  const seg = d.seg === SEG_FS ? "fs:" : d.seg === SEG_GS ? "gs:" : "";
  const ptr = size ? `${size === 16 && d.ent!.mnem === "cmpxchg8b" ? "OWORD" : PTR[size]} PTR ` : "";
  if (d.ripRel) {
    const rel = d.disp - d.next;
    return `${ptr}${seg}[rip${rel < 0 ? "-" : "+"}${hex(Math.abs(rel))}] # ${hex(d.disp)}`; // see format()
  }
  if (d.base < 0 && d.index < 0) return `${ptr}${seg || "ds:"}${hex(d.disp)}`;
  const parts: string[] = [];
  const an = d.asz === 4 ? R32 : R64;
  if (d.base >= 0) parts.push(an[d.base]!);
  if (d.index >= 0) parts.push(`${an[d.index]}*${d.scale}`);
  let s = parts.join("+");
  if (d.disp !== 0 || s === "") s += s === "" ? hex(d.disp) : (d.disp < 0 ? "-" : "+") + hex(Math.abs(d.disp));
  return `${ptr}${seg}[${s}]`;
}

function operand(d: Insn, o: string, secondImm: boolean): string {
  const k = o[0]!;
  const sz = memSize(d, o);
  switch (k) {
    case "E": return d.rm >= 0 ? regName(d.rm, sz) : mem(d, sz);
    case "M": return mem(d, d.ent!.mnem.startsWith("lea") || d.ent!.mnem.startsWith("prefetch") ? 0 : sz);
    case "G": return regName(d.reg, sz);
    case "Z": return regName(d.rm, sz);
    case "O": return mem(d, sz);
    case "V": return `xmm${d.reg}`;
    case "U": return `xmm${d.rm}`;
    case "W": return d.rm >= 0 ? `xmm${d.rm}` : mem(d, sz);
    case "P": return `mm${d.reg & 7}`;
    case "N": return `mm${d.rm & 7}`;
    case "Q": return d.rm >= 0 ? `mm${d.rm & 7}` : mem(d, sz);
    case "J": return hex(d.immN);
    case "I": {
      if (secondImm) return hex(d.imm2);
      if (o === "Ib" && d.ent!.ops.length === 3) return hex(d.immN & 0xff);
      const v = o === "Ib" ? d.immN & 0xff : d.imm;
      if (typeof v === "number") return hex(v);
      const u = BigInt.asUintN(d.osz * 8, v);
      return "0x" + u.toString(16);
    }
  }
  switch (o) {
    case "AL": return "al";
    case "AX": return "ax";
    case "rAX": return regName(0, d.osz);
    case "CL": return "cl";
    case "1": return "1";
    case "ST": return "st";
    case "STi": return `st(${d.modrm & 7})`;
  }
  return o;
}
