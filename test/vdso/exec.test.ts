// End to end: fixtures/vdso-exec (a static riscv64 glibc program) maps our image after a vvar
// page written by writeVvar, looks the functions up through DT_GNU_HASH/DT_HASH and versions,
// and calls them under qemu-riscv64. qemu-user executes rdtime (its `time` CSR is the host's
// cycle counter, not 10 MHz), so the program sets ns_per_tick itself where it checks live time.
// Skipped only when qemu-riscv64 is missing.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vdsoImage } from "../../src/vdso/index.ts";
import * as vvar from "../../src/vdso/vvar.ts";
import { haveTool } from "./elf-view.ts";

const QEMU = "qemu-riscv64";
const EXEC = fileURLToPath(new URL("./fixtures/vdso-exec", import.meta.url));
const EINVAL = -22;
const U64_MAX = (1n << 64n) - 1n;

// Served clocks and their bases: REALTIME, MONOTONIC, MONOTONIC_RAW, REALTIME_COARSE,
// MONOTONIC_COARSE, BOOTTIME, TAI. The CPU-time clocks (2, 3) are left to the kernel.
const CLOCKS = [
  { id: 0, sec: 1_700_000_000n, nsec: 123_456_789n, resNs: 1n },
  { id: 1, sec: 5000n, nsec: 999_999_999n, resNs: 1n },
  { id: 4, sec: 42n, nsec: 7n, resNs: 1n },
  { id: 5, sec: 1_700_000_000n, nsec: 120_000_000n, resNs: 4_000_000n },
  { id: 6, sec: 4999n, nsec: 996_000_000n, resNs: 4_000_000n },
  { id: 7, sec: 5003n, nsec: 0n, resNs: 1n },
  { id: 11, sec: 1_700_000_037n, nsec: 123_456_789n, resNs: 1n },
];

type Row = Record<string, string>;

/** Parses "phase kind k=v k=v" lines into rows keyed by phase and kind. */
function parse(stdout: string): { phase: string; kind: string; f: Row }[] {
  return stdout.trim().split("\n").map((line) => {
    const [phase = "", kind = "", ...rest] = line.split(" ");
    return { phase, kind, f: Object.fromEntries(rest.map((kv) => kv.split("=") as [string, string])) };
  });
}

const num = (s: string | undefined): number => {
  expect(s).toBeDefined();
  return Number(s);
};

/** |a - b| in seconds for (sec, nsec) pairs, as a float (tolerance checks only). */
const apart = (aSec: string | undefined, aNsec: string | undefined, bSec: string | undefined, bNsec: string | undefined): number =>
  Math.abs(num(aSec) - num(bSec) + (num(aNsec) - num(bNsec)) / 1e9);

describe.skipIf(!haveTool(QEMU))("vDSO image executed by a riscv64 program under qemu", () => {
  let dir = "";
  let rows: ReturnType<typeof parse> = [];
  const pick = (phase: string, kind: string, clk?: number): Row => {
    const r = rows.find((x) => x.phase === phase && x.kind === kind && (clk === undefined || x.f.clk === String(clk)));
    expect(r, `${phase} ${kind} ${clk ?? ""}`).toBeDefined();
    return r!.f;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sysemu-vdso-exec-"));
    const page = new Uint8Array(vvar.VVAR_SIZE);
    // cycle_last ahead of any counter value: the clamp keeps time at the bases, exactly.
    vvar.writeVvar(page, { cycleLast: U64_MAX, clocks: CLOCKS, tzMinutesWest: -120, tzDstTime: 1 });
    writeFileSync(join(dir, "vdso.so"), vdsoImage().bytes);
    writeFileSync(join(dir, "vvar.bin"), page);
    const r = spawnSync(QEMU, [EXEC, "run", join(dir, "vdso.so"), join(dir, "vvar.bin")], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    rows = parse(r.stdout);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("mirrors vvar.ts's layout in the C struct", () => {
    const r = spawnSync(QEMU, [EXEC, "layout"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const got = Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split(" ") as [string, string]));
    const want = Object.fromEntries(Object.keys(got).map((k) => [k, String((vvar as unknown as Record<string, number>)[k])]));
    expect(Object.keys(got)).toHaveLength(12);
    expect(got).toEqual(want);
  });

  it("finds the soname and every function through DT_GNU_HASH and DT_HASH with version LINUX_4.15", () => {
    expect(pick("soname", "linux-vdso.so.1")).toBeDefined();
    expect(pick("dynamic", "symtab=1")).toEqual({ strtab: "1", hash: "1", gnu_hash: "1", versym: "1", verdef: "1" });
    const syms = rows.filter((r) => r.phase === "sym");
    for (const s of vdsoImage().symbols) {
      const row = syms.find((r) => r.kind === `${s.name}@LINUX_4.15`);
      expect(row?.f, s.name).toMatchObject({ value: String(s.offset), size: String(s.size) });
      expect(row!.f.gnu).toBe(row!.f.sysv);
      expect(row!.f.gnu).not.toBe("0");
    }
    expect(syms.find((r) => r.kind === "__vdso_nonexistent@LINUX_4.15")?.f).toMatchObject({ gnu: "0", sysv: "0" });
    expect(syms.find((r) => r.kind === "__vdso_clock_gettime@LINUX_2.6")?.f).toMatchObject({ gnu: "0", sysv: "0" });
    expect(pick("sigreturn", "words=08b00893,00000073")).toBeDefined();
  });

  it("clock_gettime returns writeVvar's bases exactly while cycle_last is ahead of the counter", () => {
    for (const c of CLOCKS) {
      expect(pick("file", "gettime", c.id)).toMatchObject({ ret: "0", sec: String(c.sec), nsec: String(c.nsec) });
    }
  });

  it("clock_getres serves res_ns for valid clocks, NULL included", () => {
    for (const c of CLOCKS) {
      expect(pick("file", "getres", c.id)).toMatchObject({ ret: "0", sec: "0", nsec: String(c.resNs), null: "0" });
    }
  });

  it("unserved and invalid clocks give exactly what the syscall gives", () => {
    for (const phase of ["file", "live", "nomode"]) {
      for (const clk of [2, 3, 9, 15, 16, -1, -6]) {
        const g = pick(phase, "gettime", clk);
        expect(g.ret, `${phase} ${clk}`).toBe(g.raw);
        if (g.ret === "0") expect(apart(g.sec, g.nsec, g.raw_sec, g.raw_nsec)).toBeLessThan(1);
        else expect([g.sec, g.nsec]).toEqual(["-7", "-7"]);
        const r = pick(phase, "getres", clk);
        expect([r.ret, r.sec, r.nsec]).toEqual([r.raw, r.raw_sec, r.raw_nsec]);
      }
      expect(pick(phase, "gettime", -1).ret).toBe(String(EINVAL));
    }
  });

  it("gettimeofday derives usec from CLOCK_REALTIME and copies the timezone", () => {
    expect(pick("file", "gettimeofday")).toMatchObject({ ret: "0", sec: "1700000000", usec: "123456", minuteswest: "-120", dsttime: "1" });
    expect(pick("file", "gettimeofday-null")).toEqual({ tv: "0", tz: "0", both: "0", minuteswest: "-120" });
  });

  it("getcpu reports CPU 0, node 0; flush_icache and riscv_hwprobe are the syscalls", () => {
    expect(pick("getcpu", "ret=0")).toEqual({ cpu: "0", node: "0", null: "0" });
    const flush = rows.find((r) => r.phase === "flush_icache")!;
    expect(flush.kind).toBe(`ret=${flush.f.raw}`);
    const hwprobe = rows.find((r) => r.phase === "hwprobe")!;
    expect(hwprobe.kind).toBe(`ret=${hwprobe.f.raw}`);
  });

  it("with live bases, REALTIME and MONOTONIC agree with the kernel within a second", () => {
    for (const clk of [0, 1]) {
      const g = pick("live", "gettime", clk);
      expect(g.ret).toBe("0");
      expect(apart(g.sec, g.nsec, g.raw_sec, g.raw_nsec)).toBeLessThan(1);
    }
    const tv = pick("live", "gettimeofday");
    expect(tv.ret).toBe("0");
    expect(Math.abs(num(tv.sec) - num(tv.raw_sec))).toBeLessThanOrEqual(1);
  });

  it("adds (counter - cycle_last) * ns_per_tick and carries nanoseconds into seconds", () => {
    // base 100.999999999 s, cycle_last 3e9 ticks back at 1 ns a tick: at least 103.999999999 s
    const g = pick("live", "gettime", 4);
    expect(g.ret).toBe("0");
    const nsec = num(g.nsec);
    expect(nsec).toBeGreaterThanOrEqual(0);
    expect(nsec).toBeLessThan(1e9);
    const total = BigInt(g.sec!) * 1_000_000_000n + BigInt(g.nsec!);
    expect(total >= 103_999_999_999n).toBe(true);
    expect(total < 200_000_000_000n).toBe(true);
  });

  it("falls back to the syscall for every clock when clock_mode is NONE", () => {
    for (const clk of [0, 1]) {
      const g = pick("nomode", "gettime", clk);
      expect(g.ret).toBe("0");
      expect(g.sec).not.toBe("100"); // the base planted in the page is ignored
      expect(apart(g.sec, g.nsec, g.raw_sec, g.raw_nsec)).toBeLessThan(1);
    }
    const tv = pick("nomode", "gettimeofday");
    expect(tv.sec).not.toBe("100");
    expect(Math.abs(num(tv.sec) - num(tv.raw_sec))).toBeLessThanOrEqual(1);
  });
});
