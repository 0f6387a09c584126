// Runs a static x86-64 ELF on X86Cpu with a tiny system-call shim: loads the PT_LOAD segments,
// builds argc/argv/envp/auxv as binfmt_elf does, and answers the calls glibc's start-up and
// printf make (brk, arch_prctl, mmap, write, exit_group ...). It proves the CPU runs glibc;
// the real kernel glue is src/kernel/trap (x86fe's part).

import { X86Cpu, X86Stop } from "../../src/cpu/x86/cpu.ts";
import { HWCAP } from "../../src/cpu/x86/cpuid.ts";
import { disasm } from "../../src/cpu/x86/disasm.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import type { PhysMem } from "../../src/mm/physmem.ts";

const STACK_TOP = 0x3f_f000_0000;
const STACK_SIZE = 8 * 1024 * 1024;
const PAGE = 4096;

export interface SmokeResult {
  stdout: string;
  exitCode: number;
  stop?: string;
  instret: number;
  syscalls: number[];
}

export function loadStatic(elf: Uint8Array, argv: string[], phys?: PhysMem): X86Cpu {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (dv.getUint32(0) !== 0x7f454c46 || dv.getUint16(18, true) !== 62) throw new Error("not an x86-64 ELF");
  const mm = phys ? new MM(phys) : new MM();
  const phoff = Number(dv.getBigUint64(32, true));
  const phnum = dv.getUint16(56, true);
  let end = 0, phdr = 0;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + 56 * i;
    const type = dv.getUint32(p, true);
    const flags = dv.getUint32(p + 4, true);
    const off = Number(dv.getBigUint64(p + 8, true));
    const va = Number(dv.getBigUint64(p + 16, true));
    const filesz = Number(dv.getBigUint64(p + 32, true));
    const memsz = Number(dv.getBigUint64(p + 40, true));
    if (type === 6) phdr = va;
    if (type !== 1) continue;
    const start = Math.floor(va / PAGE) * PAGE;
    const len = Math.ceil((va + memsz) / PAGE) * PAGE - start;
    const prot = (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0);
    mm.mapFixed(start, len, PROT_READ | PROT_WRITE);
    mm.poke(va, elf.subarray(off, off + filesz));
    mm.protect(start, len, prot);
    if (off === 0 && phdr === 0) phdr = va + phoff;
    end = Math.max(end, start + len);
  }
  mm.startBrk = mm.brk = end;
  mm.mapFixed(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const cpu = new X86Cpu(mm);
  cpu.rip = Number(dv.getBigUint64(24, true));
  cpu.regs[4] = BigInt(buildStack(mm, argv, ["LANG=C"], [
    [3, phdr], [4, 56], [5, phnum], [6, PAGE], [9, cpu.rip], [11, 0], [12, 0], [13, 0], [14, 0],
    [16, HWCAP], [23, 0], [25, 0 /* patched */], [26, 2], [51, 2048],
  ]));
  return cpu;
}

function buildStack(mm: MM, argv: string[], envp: string[], auxv: [number, number][]): number {
  let sp = STACK_TOP;
  const enc = new TextEncoder();
  const put = (bytes: Uint8Array) => {
    sp -= bytes.length;
    mm.poke(sp, bytes);
    return sp;
  };
  const strs = (l: string[]) => l.map((s) => put(enc.encode(s + "\0")));
  const av = strs(argv), ev = strs(envp);
  const rnd = put(new Uint8Array(16).map((_, i) => i * 17 + 3));
  const plat = put(enc.encode("x86_64\0"));
  sp -= sp % 16;
  const aux = auxv.map(([k, v]) => [k, k === 25 ? rnd : v] as [number, number]);
  aux.push([15, plat], [0, 0]);
  const words = [argv.length, ...av, 0, ...ev, 0, ...aux.flat()];
  if (words.length % 2) sp -= 8;
  sp -= words.length * 8;
  const b = new DataView(new ArrayBuffer(words.length * 8));
  words.forEach((w, i) => b.setBigUint64(i * 8, BigInt(w), true));
  mm.poke(sp, new Uint8Array(b.buffer));
  return sp;
}

/** With trace > 0, single-steps and reports the last `trace` instructions before a stop. */
export function runStatic(cpu: X86Cpu, maxInsns = 2e9, slice = 1_000_000, trace = 0): SmokeResult {
  const ring: number[] = [];
  if (trace > 0) slice = 1;
  const out: number[] = [];
  const calls: number[] = [];
  const mm = cpu.mm;
  const r = cpu.regs;
  const arg = (i: number) => Number(BigInt.asUintN(64, r[[7, 6, 2, 10, 8, 9][i]!]!));
  const done = (stop?: string, code = -1): SmokeResult => ({
    stdout: new TextDecoder().decode(new Uint8Array(out)), exitCode: code, stop, instret: cpu.instret, syscalls: calls,
  });
  while (cpu.instret < maxInsns) {
    if (trace > 0) {
      ring.push(cpu.rip);
      if (ring.length > trace) ring.shift();
    }
    const why = cpu.run(slice);
    if (why === X86Stop.Budget) continue;
    if (why !== X86Stop.Syscall) {
      const tr = ring.map((a) => `  ${a.toString(16)}: ${disasm(cpu.mm.peek(a, 15), a)}`).join("\n");
      return done(stopText(cpu, why) + (trace > 0 ? "\n" + tr : ""));
    }
    const nr = Number(r[0]);
    calls.push(nr);
    let ret = 0;
    switch (nr) {
      case 1: { // write
        const n = arg(2);
        out.push(...mm.peek(arg(1), n));
        ret = n;
        break;
      }
      case 20: { // writev
        let n = 0;
        for (let i = 0; i < arg(2); i++) {
          const v = new DataView(mm.peek(arg(1) + 16 * i, 16).buffer);
          const base = Number(v.getBigUint64(0, true)), len = Number(v.getBigUint64(8, true));
          out.push(...mm.peek(base, len));
          n += len;
        }
        ret = n;
        break;
      }
      case 60: case 231: return done(undefined, arg(0) & 0xff);
      case 12: { // brk
        const want = arg(0);
        if (want > mm.brk) {
          const from = Math.ceil(mm.brk / PAGE) * PAGE, to = Math.ceil(want / PAGE) * PAGE;
          if (to > from) mm.mapFixed(from, to - from, PROT_READ | PROT_WRITE);
          mm.brk = want;
        }
        ret = mm.brk;
        break;
      }
      case 9: { // mmap (anonymous only)
        const len = Math.ceil(arg(1) / PAGE) * PAGE;
        const at = arg(3) & 0x10 ? arg(0) : mm.getUnmappedArea(len, 0);
        mm.mapFixed(at, len, arg(2));
        ret = at;
        break;
      }
      case 11: mm.unmap(arg(0), arg(1)); break;
      case 10: ret = mm.protect(arg(0), arg(1), arg(2)); break;
      case 158: // arch_prctl
        if (arg(0) === 0x1002) cpu.fsBase = BigInt(arg(1));
        else if (arg(0) === 0x1001) cpu.gsBase = BigInt(arg(1));
        else ret = -22;
        break;
      case 63: { // uname
        const u = new Uint8Array(65 * 6);
        ["Linux", "sysemu", "6.1.0", "#1", "x86_64", ""].forEach((s, i) => u.set(new TextEncoder().encode(s), 65 * i));
        mm.poke(arg(0), u);
        break;
      }
      case 218: ret = 1000; break; // set_tid_address
      case 39: case 186: ret = 1000; break; // getpid, gettid
      case 318: mm.poke(arg(0), new Uint8Array(arg(1)).fill(7)); ret = arg(1); break;
      case 89: ret = -2; break; // readlink
      case 16: ret = -25; break; // ioctl: ENOTTY
      case 5: case 262: ret = -38; break;
      default: ret = nr === 273 || nr === 334 || nr === 13 || nr === 14 || nr === 302 ? (nr === 334 ? -38 : 0) : -38;
    }
    r[0] = BigInt(ret);
  }
  return done("budget");
}

function stopText(cpu: X86Cpu, why: X86Stop): string {
  let bytes: Uint8Array;
  try {
    bytes = cpu.mm.peek(cpu.rip, 15);
  } catch {
    bytes = new Uint8Array(0);
  }
  const at = `at 0x${cpu.rip.toString(16)}: ${disasm(bytes, cpu.rip)}`;
  if (why === X86Stop.Fault) return `fault (${cpu.faultAccess} 0x${cpu.faultAddr.toString(16)}) ${at}`;
  return `stop ${why} ${at}`;
}
