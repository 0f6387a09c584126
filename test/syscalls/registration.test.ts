// Registration describes itself: the family files are found (syscalls/families.gen.ts is what
// tools/gen-families.mjs makes of syscalls/*.ts), the numbers kept for plug-ins are outside
// every built-in table, and sysemu-plugin.d.ts names only kinds strace can decode.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLUGIN_NR_FIRST, PLUGIN_NR_LAST } from "../../src/kernel/plugins.ts";
import { DECODERS } from "../../src/kernel/strace/kinds.ts";
import { FAMILIES, riscv64Syscalls, x86_64Syscalls } from "../../syscalls/index.ts";
import { familiesSource } from "../../tools/gen-families.mjs";

describe("the family list", () => {
  it("is the generator's output for syscalls/ as it is", () => {
    expect(readFileSync("syscalls/families.gen.ts", "utf8")).toBe(familiesSource());
  });

  it("holds every file that exports a handler, and only those", () => {
    for (const [file, mod] of Object.entries(FAMILIES)) expect(Object.keys(mod).some((k) => k.startsWith("sys_")), file).toBe(true);
    expect(Object.keys(FAMILIES)).toContain("syscalls/hello.ts");
    expect(Object.keys(FAMILIES)).not.toContain("syscalls/table.ts");
  });

  it("picks up a new family file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-families-"));
    try {
      cpSync("syscalls", join(dir, "syscalls"), { recursive: true });
      writeFileSync(join(dir, "syscalls/toy.ts"), 'export const sys_toy = { name: "toy", args: [], fn: () => 0 };\n');
      expect(familiesSource(dir)).toContain('"syscalls/toy.ts": f_toy,');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the plug-in numbers", () => {
  it("are far above every number Linux has given out, and no built-in takes one", () => {
    expect(PLUGIN_NR_FIRST).toBe(1000);
    const builtins = [...riscv64Syscalls().keys(), ...x86_64Syscalls().keys()];
    expect(builtins.filter((nr) => nr >= PLUGIN_NR_FIRST && nr <= PLUGIN_NR_LAST)).toEqual([]);
  });

  it("are documented where a plug-in's author looks", () => {
    for (const f of ["sysemu-plugin.d.ts", "README.md", "syscalls/tbl/riscv64.ts", "syscalls/tbl/x86_64.ts"]) expect(readFileSync(f, "utf8"), f).toMatch(/1000/);
  });
});

describe("sysemu-plugin.d.ts", () => {
  it("lists only argument kinds that have a strace decoder", () => {
    const text = readFileSync("sysemu-plugin.d.ts", "utf8");
    const union = text.slice(text.indexOf("export type ArgKind"), text.indexOf("(string & {})"));
    const kinds = [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]!);
    expect(kinds.length).toBeGreaterThan(10);
    expect(kinds.filter((k) => !DECODERS.has(k))).toEqual([]);
  });
});
