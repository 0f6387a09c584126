// The block compiler (jit.ts) against the interpreter and the host CPU: every host-CPU fixture
// case as a compiled block, and what the fixtures cannot show (they hold single instructions
// on registers): a jcc reading a compare of the same block, memory operands, a fault inside a
// block, a budget that ends inside one, and a store into the block's own code.

import { describe, expect, it } from "vitest";
import { X86Cpu, X86Stop } from "../../src/cpu/x86/cpu.ts";
import { jitThreshold, setJitThreshold } from "../../src/cpu/x86/jit.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

import { hostCases } from "./host-cases.ts";

hostCases(true);

const CODE = 0x100000, DATA = 0x200000, RODATA = 0x210000;
const hex = (h: string) => Uint8Array.from(h.replace(/ /g, "").match(/../g)!.map((b) => parseInt(b, 16)));

interface Outcome {
  stop: X86Stop;
  rip: number;
  instret: number;
  regs: bigint[];
  rflags: number;
  data: string;
}

// one machine per mode, reused (poke invalidates the decoded code it overwrites)
const machines = new Map<number, X86Cpu>();
function machine(threshold: number): X86Cpu {
  let c = machines.get(threshold);
  if (c === undefined) {
    const mm = new MM(new PhysMem(4 * 1024 * 1024));
    mm.mapFixed(CODE, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
    mm.mapFixed(DATA, 0x1000, PROT_READ | PROT_WRITE);
    mm.mapFixed(RODATA, 0x1000, PROT_READ);
    machines.set(threshold, (c = new X86Cpu(mm)));
  }
  return c;
}

/** Runs code once interpreted and, on a fresh machine, `times` times with compiled blocks. */
function both(code: Uint8Array, regs: Record<number, bigint>, budget: number, times = 1): [Outcome, Outcome] {
  const once = (threshold: number): Outcome => {
    const c = machine(threshold);
    const mm = c.mm;
    const saved = jitThreshold;
    setJitThreshold(threshold);
    let stop = X86Stop.Budget;
    try {
      for (let k = 0; k < times; k++) {
        mm.poke(CODE, code);
        mm.poke(DATA, Uint8Array.from({ length: 64 }, (_, j) => (j * 37 + 11) & 0xff));
        c.regs.fill(0n);
        for (const [r, v] of Object.entries(regs)) c.regs[Number(r)] = v;
        c.rflags = 0x202;
        c.rip = CODE;
        c.instret = 0;
        stop = c.run(budget);
      }
    } finally {
      setJitThreshold(saved);
    }
    const data = Array.from(mm.peek(DATA, 64), (b) => b.toString(16)).join(" ");
    return { stop, rip: c.rip, instret: c.instret, regs: [...c.regs], rflags: c.rflags & 0x8d5, data };
  };
  return [once(Infinity), once(0)];
}

const EDGES = [0n, 1n, -1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdefn, -0x5555aaaa5555aaabn];

describe("compiled jcc after a flag-setting instruction of the same block", () => {
  // op ecx, edx (or inc/dec ecx) at each size, then jcc +2 over a ud2
  const setters: [string, (pfx: string, byte: boolean) => string][] = [];
  for (const [name, k] of [["add", 0], ["or", 1], ["and", 4], ["sub", 5], ["xor", 6], ["cmp", 7]] as const) {
    setters.push([name, (p, b) => `${p}${(k * 8 + (b ? 0 : 1)).toString(16).padStart(2, "0")} d1`]);
  }
  setters.push(["test", (p, b) => `${p}${b ? "84" : "85"} d1`]);
  setters.push(["inc", (p, b) => `${p}${b ? "fe" : "ff"} c1`]);
  setters.push(["dec", (p, b) => `${p}${b ? "fe" : "ff"} c9`]);
  setters.push(["cmp imm", (p, b) => `${p}${b ? "80" : "83"} f9 80`]);
  for (const [name, enc] of setters) {
    for (const [size, pfx] of [[1, ""], [2, "66 "], [4, ""], [8, "48 "]] as const) {
      it(`${name} at ${size * 8} bits`, () => {
        const bad: string[] = [];
        for (let cc = 0; cc < 16; cc++) {
          const code = hex(`${enc(pfx, size === 1)} ${(0x70 + cc).toString(16)} 02 0f 0b 0f 0b`);
          for (const x of EDGES) {
            for (const y of [0n, 1n, -1n, 0x80n, 0x7fffffffn, -0x8000000000000000n, x]) {
              const [a, b] = both(code, { 1: x, 2: y }, 2);
              if (a.rip !== b.rip || a.rflags !== b.rflags || a.regs[1] !== b.regs[1]) bad.push(`cc ${cc} rcx ${x} rdx ${y}: ${a.rip}/${b.rip} ${a.rflags}/${b.rflags}`);
            }
          }
        }
        expect(bad.slice(0, 3)).toEqual([]);
      });
    }
  }
});

describe("compiled blocks with memory operands", () => {
  // rsi = DATA: stores, loads and read-modify-writes at each size, then a compare and a jcc
  const block = [
    "48 89 4e 08", // mov [rsi+8], rcx
    "48 01 56 08", // add [rsi+8], rdx
    "48 8b 46 08", // mov rax, [rsi+8]
    "2b 46 04", // sub eax, [rsi+4]
    "80 66 02 0f", // and byte [rsi+2], 0x0f
    "66 31 56 0c", // xor [rsi+12], dx
    "83 46 10 f3", // add dword [rsi+16], -13
    "48 81 76 18 78 56 34 f2", // xor qword [rsi+24], imm32
    "48 0f b7 5e 02", // movzx rbx, word [rsi+2]
    "48 63 7e 04", // movsxd rdi, dword [rsi+4]
    "0f be 6e 05", // movsx ebp, byte [rsi+5]
    "c7 46 20 ff ff ff 7f", // mov dword [rsi+32], 0x7fffffff
    "48 c7 46 28 fe ff ff ff", // mov qword [rsi+40], -2
    "88 66 30", // mov [rsi+48], ah
    "8a 7e 31", // mov bh, [rsi+49]
    "48 8d 4c 96 f0", // lea rcx, [rsi+rdx*4-16]
    "48 39 46 08", // cmp [rsi+8], rax
    "74 02 0f 0b 0f 0b", // je +2 (taken) over ud2, to ud2
  ].join(" ");
  for (const [x, y] of [[5n, 7n], [-1n, 1n], [0x7fffffffffffffffn, 1n], [0x1234n, -0x10000n]] as const) {
    it(`rcx ${x}, rdx ${y}`, () => {
      const [a, b] = both(hex(block), { 1: x, 2: y, 6: BigInt(DATA) }, 17, 3);
      expect(b).toEqual(a);
      expect(a.stop).toBe(X86Stop.Budget);
    });
  }
  it("addresses from registers beyond 2^52, negative and non-canonical sums", () => {
    // mov eax, [rbx+rcx]; mov edx, [rbx+rcx*8+4]; mov [rbx+rcx-4], eax; jmp $
    const code = hex("8b 04 0b 8b 54 cb 04 89 44 0b fc eb fe");
    for (const [rb, rc] of [[2n ** 62n + BigInt(DATA + 8), -(2n ** 62n)], [BigInt(DATA + 8), 0n], [BigInt(DATA + 64), -8n], [-8n, 0n], [2n ** 47n, 0n], [2n ** 63n - 1n, 1n]] as const) {
      const [a, b] = both(code, { 3: rb, 1: rc }, 4, 2);
      expect(b).toEqual(a);
    }
  });
});

describe("exact stops inside compiled blocks", () => {
  const code = hex("48 ff c0 48 ff c0 48 8b 0e 48 ff c0 48 89 0e 48 ff c0 eb fe"); // inc; inc; mov rcx,[rsi]; inc; mov [rsi],rcx; inc; jmp $
  it("a load fault leaves rip on the load, the instructions before it retired", () => {
    const [a, b] = both(code, { 6: 0x300000n }, 100, 2);
    expect(b).toEqual(a);
    expect([a.stop, a.rip, a.instret, a.regs[0]]).toEqual([X86Stop.Fault, CODE + 6, 2, 2n]);
  });
  it("a store fault to a read-only page likewise", () => {
    const [a, b] = both(code, { 6: BigInt(RODATA) }, 100, 2);
    expect(b).toEqual(a);
    expect([a.stop, a.rip, a.instret, a.regs[0]]).toEqual([X86Stop.Fault, CODE + 12, 4, 3n]);
  });
  it("a budget ending inside a hot block", () => {
    for (let k = 1; k <= 8; k++) {
      const [a, b] = both(code, { 6: BigInt(DATA) }, k, 3);
      expect(b).toEqual(a);
      expect(a.instret).toBe(k);
    }
  });
  it("a syscall in a block stops after it", () => {
    const [a, b] = both(hex("48 ff c0 0f 05 48 ff c0 eb fe"), {}, 10, 2);
    expect(b).toEqual(a);
    expect([a.stop, a.rip, a.instret]).toEqual([X86Stop.Syscall, CODE + 5, 2]);
  });
  it("a divide error stops on the div", () => {
    const [a, b] = both(hex("48 ff c0 48 f7 f1 48 ff c0 eb fe"), {}, 10, 2);
    expect(b).toEqual(a);
    expect([a.stop, a.rip, a.instret]).toEqual([X86Stop.DivideError, CODE + 3, 1]);
  });
});

describe("self-modifying code inside a compiled block", () => {
  // mov byte [rip+k], 2 rewrites the immediate of the mov eax, 1 that follows in the same block
  it("the rewritten instruction runs as rewritten, on every run", () => {
    const code = hex("c6 05 01 00 00 00 02 b8 01 00 00 00 48 ff c0 eb fe");
    const [a, b] = both(code, {}, 4, 3);
    expect(b).toEqual(a);
    expect(a.regs[0]).toBe(3n);
  });
  it("a store by a handler call (xchg) likewise", () => {
    // lea rsi, [rip+6]; xchg [rsi], bl (bl = 2: the immediate of mov eax, 1); mov eax, 1
    const code = hex("48 8d 35 07 00 00 00 86 1e 90 90 90 90 b8 01 00 00 00 eb fe");
    const [a, b] = both(code, { 3: 0x2n }, 8, 3);
    expect(b).toEqual(a);
  });
});

describe("compiled blocks in loops and calls", () => {
  it("a counted loop, with budgets ending anywhere in it", () => {
    // mov eax, 0; l: inc eax; add rbx, rax; dec ecx; jnz l; jmp $
    const code = hex("b8 00 00 00 00 ff c0 48 01 c3 ff c9 75 f7 eb fe");
    for (let k = 1; k <= 48; k++) {
      const [a, b] = both(code, { 1: 10n }, k, 3);
      expect(b).toEqual(a);
    }
    const [a] = both(code, { 1: 10n }, 200);
    expect([a.regs[0], a.regs[3], a.rip]).toEqual([10n, 55n, CODE + 14]);
  });
  it("calls and returns within the page", () => {
    // l: call f; dec ecx; jnz l; jmp $; f: inc eax; ret
    const code = hex("e8 06 00 00 00 ff c9 75 f7 eb fe ff c0 c3");
    for (let k = 1; k <= 30; k++) {
      const [a, b] = both(code, { 1: 5n, 4: BigInt(DATA + 0x800) }, k, 3);
      expect(b).toEqual(a);
    }
  });
});

describe("compiled shifts by a constant against the interpreter", () => {
  for (const [name, reg] of [["shl", 4], ["shr", 5], ["sal", 6], ["sar", 7]] as const) {
    it(name, () => {
      const bad: string[] = [];
      for (const [size, pfx, op] of [[1, "", "c0"], [2, "66 ", "c1"], [4, "", "c1"]] as const) {
        for (const n of [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33]) {
          // shift ecx by n (the d0/d1 form for 1), then setc al; seto dl; jmp $
          const modrm = (0xc0 | (reg << 3) | 1).toString(16);
          const sh = n === 1 ? `${pfx}${size === 1 ? "d0" : "d1"} ${modrm}` : `${pfx}${op} ${modrm} ${n.toString(16).padStart(2, "0")}`;
          const code = hex(`${sh} 0f 92 c0 0f 90 c2 eb fe`);
          for (const x of EDGES) {
            const [a, b] = both(code, { 1: x }, 4);
            if (JSON.stringify(a, (_, v) => (typeof v === "bigint" ? v.toString() : v)) !== JSON.stringify(b, (_, v) => (typeof v === "bigint" ? v.toString() : v))) bad.push(`${size} ${n} ${x}`);
          }
        }
      }
      expect(bad.slice(0, 3)).toEqual([]);
    });
  }
});
