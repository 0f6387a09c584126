// The disassembler (and with it the decoder's lengths, prefixes, ModRM/SIB, rip-relative and
// immediate handling) against `objdump -d -M intel` on the encodings of fixtures/encodings.s
// (tools/x86-objdump-fixture.sh rebuilds fixtures/objdump.txt).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { disasm, insnLength } from "../../src/cpu/x86/disasm.ts";
import { ENTRIES } from "../../src/cpu/x86/table.ts";

const lines = readFileSync(join(import.meta.dirname, "fixtures/objdump.txt"), "utf8").trim().split("\n");
const hexBytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

describe("disassembler against objdump", () => {
  let at = 0;
  for (const l of lines) {
    const [h, text] = l.split("\t") as [string, string];
    const bytes = hexBytes(h);
    const rip = at;
    at += bytes.length;
    // objdump names branch targets by symbol (<label>): compare the address only
    const want = text.replace(/ <[^>]*>$/, "").trim();
    it(want, () => {
      expect(insnLength(bytes, rip)).toBe(bytes.length);
      expect(disasm(bytes, rip)).toBe(want);
    });
  }
});

describe("decoder edge cases", () => {
  it("an instruction longer than 15 bytes is undecodable", () => {
    const b = new Uint8Array(16).fill(0x66);
    b[15] = 0x90;
    expect(disasm(b, 0)).toBe("(bad)");
    expect(disasm(b.subarray(1), 0)).toBe("xchg ax,ax"); // 15 bytes is the limit, inclusive
  });
  it("a REX before a legacy prefix is ignored", () => {
    // 48 66 01 d8: the REX.W is dropped, 66 makes it 16-bit
    expect(disasm(Uint8Array.of(0x48, 0x66, 0x01, 0xd8), 0)).toBe("add ax,bx");
  });
  it("REX makes sil/dil/spl/bpl of encodings 4..7, ah..bh without it", () => {
    expect(disasm(Uint8Array.of(0x88, 0xe0), 0)).toBe("mov al,ah");
    expect(disasm(Uint8Array.of(0x40, 0x88, 0xe0), 0)).toBe("mov al,spl");
  });
  it("an SIB with no base and no index is an absolute disp32", () => {
    expect(disasm(Uint8Array.of(0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12), 0)).toBe("mov eax,DWORD PTR ds:0x12345678");
  });
  it("r13 as a base needs a displacement; r12 needs an SIB", () => {
    expect(disasm(Uint8Array.of(0x49, 0x8b, 0x45, 0x00), 0)).toBe("mov rax,QWORD PTR [r13]");
    expect(disasm(Uint8Array.of(0x49, 0x8b, 0x04, 0x24), 0)).toBe("mov rax,QWORD PTR [r12]");
  });
  it("unknown opcodes and bytes cut short", () => {
    expect(disasm(Uint8Array.of(0x0f, 0x04), 0)).toBe("(bad)");
    expect(disasm(Uint8Array.of(0x48, 0x8b), 0)).toBe("(bad)");
  });
  it("every table row has operands the decoder knows", () => {
    const known = /^(E|G|M|Z|O|V|W|U|P|N|Q)(b|w|d|q|v|y|x|ss|sd|t)?$|^(Ib|Ibs|Iw|Iz|Iv|Jb|Jz|AL|AX|rAX|CL|1|ST|STi|M)$/;
    const bad = ENTRIES.flatMap((e) => e.ops.filter((o) => !known.test(o)).map((o) => `${e.code} ${e.mnem} ${o}`));
    expect(bad).toEqual([]);
  });
});
