// Instructions against the host CPU: fixtures/native.txt.gz holds cases that tools/x86-fixtures.c
// ran natively (inputs and outputs of rax, rcx, rdx, rflags, mxcsr, xmm0, xmm1). Each case runs
// on X86Cpu and must give the same outputs; rflags are compared under the mask of flags the
// instruction defines. Interpreted (native.test.ts), or as a compiled block (jit.test.ts): then
// a ud2 after the case's code ends its block, so the whole block fits the budget.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { jitThreshold, setJitThreshold } from "../../src/cpu/x86/jit.ts";
import { X86Cpu, X86Stop } from "../../src/cpu/x86/cpu.ts";
import { insnLength } from "../../src/cpu/x86/disasm.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const CODE = 0x100000;
const text = gunzipSync(readFileSync(join(import.meta.dirname, "fixtures/native.txt.gz"))).toString();
const groups = new Map<string, string[]>();
for (const l of text.split("\n")) {
  if (l === "") continue;
  const name = l.slice(0, l.indexOf(" "));
  let g = groups.get(name);
  if (g === undefined) groups.set(name, (g = []));
  g.push(l);
}

const mm = new MM(new PhysMem(16 * 1024 * 1024));
mm.mapFixed(CODE, 0x100000, PROT_READ | PROT_EXEC);
const cpu = new X86Cpu(mm);
let place = CODE;

const big = (h: string) => BigInt.asIntN(64, BigInt("0x" + h));
const xmm = (h: string): [bigint, bigint] => {
  const [lo, hi] = h.split(":") as [string, string];
  return [big(lo), big(hi)];
};

function state(c: X86Cpu, mask: number): string {
  c.mxcsr &= ~0x3a;
  const h = (v: bigint) => BigInt.asUintN(64, v).toString(16);
  return [h(c.regs[0]!), h(c.regs[1]!), h(c.regs[2]!), (c.rflags & mask).toString(16), c.mxcsr.toString(16),
    `${h(c.xmm[0]!)}:${h(c.xmm[1]!)}`, `${h(c.xmm[2]!)}:${h(c.xmm[3]!)}`].join(" ");
}

/** Registers one test per fixture group; `compiled`: each case runs as a compiled block. */
export function hostCases(compiled: boolean): void {
  describe(compiled ? "instructions against the host CPU, compiled" : "instructions against the host CPU", () => {
    for (const [name, lines] of groups) {
      it(name, () => {
        const bytesHex = lines[0]!.split(" ")[1]!;
        const bytes = Uint8Array.from(bytesHex.match(/../g)!.map((b) => parseInt(b, 16)));
        const at = place;
        place += 64;
        mm.poke(at, compiled ? Uint8Array.from([...bytes, 0x0f, 0x0b]) : bytes);
        let n = 0;
        for (let o = 0; o < bytes.length; n++) o += insnLength(bytes.subarray(o), at + o);
        const failures: string[] = [];
        for (const l of lines) {
          const [head, inp, out] = l.split(" | ") as [string, string, string];
          let mask = parseInt(head.split(" ")[2]!, 16);
          // OF after a shift or rotate by more than 1 is undefined (and differs between vendors)
          const count = name.endsWith("i") || name.endsWith("i16") ? (name.startsWith("shld") ? 7 : 3) : parseInt(inp.split(" ")[1]!, 16) & 63;
          if (/^(shl|shr|sar|rol|ror|rcl|rcr)/.test(name) && !/1$/.test(name) && count !== 1) mask &= ~0x800;
          const v = inp.split(" ");
          cpu.regs.fill(0n);
          cpu.regs[0] = big(v[0]!);
          cpu.regs[1] = big(v[1]!);
          cpu.regs[2] = big(v[2]!);
          cpu.rflags = parseInt(v[3]!, 16);
          cpu.mxcsr = parseInt(v[4]!, 16);
          [cpu.xmm[0], cpu.xmm[1]] = xmm(v[5]!);
          [cpu.xmm[2], cpu.xmm[3]] = xmm(v[6]!);
          cpu.rip = at;
          const threshold = jitThreshold;
          if (compiled) setJitThreshold(0);
          let why = cpu.run(compiled ? n + 1 : n);
          setJitThreshold(threshold);
          if (compiled) expect(cpu.mmu.codePage(at).blocks[at & 4095]?.noJit === false).toBe(true);
          if (compiled && why === X86Stop.IllegalInsn && cpu.rip === at + bytes.length) why = X86Stop.Budget;
          let got: string;
          if (why === X86Stop.DivideError) got = "DE";
          else if (why !== X86Stop.Budget) got = `stop ${why}`;
          else got = state(cpu, mask);

          const o = out.split(" ");
          // MXCSR: the control bits and IE/ZE are compared; DE, OE, UE, PE are not tracked
          const mx = (parseInt(o[4] ?? "0", 16) & ~0x3a).toString(16);
          const want = out === "DE" ? "DE" : [o[0], o[1], o[2], (parseInt(o[3]!, 16) & mask).toString(16), mx, o[5], o[6]].join(" ");
          if (got !== want) failures.push(`in ${inp}\n   want ${want}\n   got  ${got}`);
        }
        expect(failures.slice(0, 3).join("\n"), `${name}: ${failures.length} of ${lines.length} cases differ`).toBe("");
      });
    }
  });
}
