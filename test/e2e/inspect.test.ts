import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { have, haveSysroot, qemu, SYSROOT, sysemu } from "./helpers.ts";

/** "AT_PHDR:              0x1234" → { key, column, form } where form is the value's shape. */
function parse(out: string) {
  const rows = new Map<string, { column: number; form: string }>();
  for (const line of out.split("\n")) {
    const m = /^(AT_[A-Z0-9_]+):( +)(.*)$/.exec(line);
    if (!m) continue;
    const v = m[3]!;
    const form = /^0x[0-9a-f]+$/.test(v) ? "hex0x" : /^[0-9]+$/.test(v) ? "num" : /^[0-9a-f]+$/.test(v) ? "hex" : "str";
    rows.set(m[1]!, { column: m[1]!.length + 1 + m[2]!.length, form });
  }
  return rows;
}

describe("sysemu auxv", () => {
  it("prints LD_SHOW_AUXV's format, values in column 23", () => {
    const r = sysemu(["auxv", "samples/riscv64/hello"]);
    expect(r.status).toBe(0);
    const rows = parse(r.stdout);
    expect(rows.size).toBeGreaterThan(20);
    for (const [, row] of rows) expect(row.column).toBe(22);
    expect(r.stdout).toMatch(/^AT_HWCAP: {13}112d$/m);
    expect(r.stdout).toMatch(/^AT_EXECFN: {12}samples\/riscv64\/hello$/m);
    expect(r.stdout).toMatch(/^AT_MINSIGSTKSZ: {7}1088$/m);
    expect(r.stdout).toMatch(/^AT_\?\?\? \(0x1b\): 0x1c$/m); // glibc 2.36 has no name for AT_RSEQ_FEATURE_SIZE
  });

  it.runIf(have("qemu-riscv64") && haveSysroot)("formats every key the way glibc's own ld.so does under qemu-riscv64", () => {
    const ours = parse(sysemu(["auxv", "--sysroot", SYSROOT, "samples/riscv64/dyn/hello"]).stdout);
    const q = qemu(["-E", "LD_SHOW_AUXV=1", "samples/riscv64/dyn/hello"]);
    const theirs = parse(q.stdout);
    const common = [...theirs.keys()].filter((k) => ours.has(k));
    expect(common.length).toBeGreaterThanOrEqual(12);
    for (const k of common) {
      const a = ours.get(k)!, b = theirs.get(k)!;
      expect({ k, column: a.column }).toEqual({ k, column: b.column });
      // a decimal-looking hex value (e.g. "1000") can't be told from a number: compare what is certain
      const same = a.form === b.form || (a.form === "num" && b.form === "hex") || (a.form === "hex" && b.form === "num");
      expect({ k, forms: same ? "same" : `${a.form} vs ${b.form}` }).toEqual({ k, forms: "same" });
    }
  });

  it("prints JSON with --json", () => {
    const r = sysemu(["auxv", "--json", "samples/riscv64/hello"]);
    const j = JSON.parse(r.stdout) as { name: string | null; value: string }[];
    expect(j.find((e) => e.name === "AT_PAGESZ")!.value).toBe("4096");
    expect(j.at(-1)!.name).toBe("AT_NULL");
  });

  it("reports a missing program and a bad ELF in one line with exit 127 and 126", () => {
    const missing = sysemu(["auxv", "no/such/prog"]);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toBe("sysemu: no/such/prog: No such file or directory\n");
    const bad = sysemu(["auxv", "package.json"]);
    expect(bad.status).toBe(126);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^sysemu: package.json: not a valid riscv64 ELF program: /);
  });

  it("tells how to find the interpreter of a dynamic program", () => {
    const r = sysemu(["auxv", "--sysroot", "/nonexistent", "samples/riscv64/dyn/hello"]);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/cannot load interpreter \/lib\/ld-linux-riscv64-lp64d.so.1/);
  });
});

describe("sysemu stack", () => {
  it("draws argc, argv, envp, auxv and the strings from sp upward", () => {
    const r = sysemu(["stack", "--clear-env", "--env", "A=1", "samples/riscv64/hello", "arg1"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[1]).toMatch(/^sp->0x[0-9a-f]+ +0x0000000000000002 +argc = 2$/);
    expect(r.stdout).toMatch(/argv\[0\] -> "samples\/riscv64\/hello"/);
    expect(r.stdout).toMatch(/argv\[1\] -> "arg1"/);
    expect(r.stdout).toMatch(/envp\[0\] -> "A=1"/);
    expect(r.stdout).toMatch(/auxv type AT_SYSINFO_EHDR \(33\)/);
    expect(r.stdout).toMatch(/AT_NULL \(end of auxv\)/);
    expect(r.stdout).toMatch(/AT_RANDOM: 16 random bytes/);
    expect(r.stdout).toMatch(/AT_EXECFN string "samples\/riscv64\/hello"/);
  });
});

describe.runIf(have("riscv64-linux-gnu-readelf"))("sysemu vdso", () => {
  it("lists the seven functions @@LINUX_4.15 and dumps an image readelf accepts", () => {
    const r = sysemu(["vdso"]);
    expect(r.status).toBe(0);
    for (const f of ["__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe"]) {
      expect(r.stdout).toContain(`${f}@@LINUX_4.15`);
    }
    const file = join(mkdtempSync(join(tmpdir(), "sysemu-")), "vdso.so");
    expect(sysemu(["vdso", "--dump", file]).status).toBe(0);
    const re = spawnSync("riscv64-linux-gnu-readelf", ["-a", "-W", file], { encoding: "utf8" });
    expect(re.status).toBe(0);
    expect(re.stderr + re.stdout).not.toMatch(/warning|error/i);
    const syms = spawnSync("riscv64-linux-gnu-readelf", ["--dyn-syms", "-W", file], { encoding: "utf8" }).stdout;
    expect(syms.match(/__vdso_\w+@@LINUX_4\.15/g)).toHaveLength(7);
    expect(readFileSync(file).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  });
});
