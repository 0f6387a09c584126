// Differential test of the F/D unit against qemu-riscv64 (softfloat): the same generated vectors
// run through test/fixtures/fp/fpvec under qemu and through decodeFp; results and fflags must be
// identical. qemu's output is recorded in test/fixtures/fp/expected.bin.gz so this runs without
// qemu; with qemu installed the oracle is also run live and must agree with the recording.
// Re-record after changing the generator: FP_RECORD=1 npx vitest run test/cpu/fp/qemu.test.ts

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { execute, newCpu } from "./harness.ts";
import { OPS } from "./ops.ts";
import { encodeInput, generate } from "./vectors.ts";

const dir = fileURLToPath(new URL("../../fixtures/fp/", import.meta.url));
const FPVEC = dir + "fpvec";
const EXPECTED = dir + "expected.bin.gz";
const META = dir + "expected.json";

interface Meta {
  ops: string[];
  count: number;
  inputSha256: string;
  qemu: string;
}

const set = generate();
const input = encodeInput(set);
const inputSha256 = createHash("sha256").update(input).digest("hex");

function qemuVersion(): string | null {
  const r = spawnSync("qemu-riscv64", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : null;
}

function runLive(): { out: Buffer; list: string[] } {
  const list = spawnSync("qemu-riscv64", [FPVEC, "--list"], { encoding: "utf8" });
  const run = spawnSync("qemu-riscv64", [FPVEC], { input, maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`fpvec under qemu failed: ${run.status} ${run.stderr}`);
  return { out: run.stdout, list: list.stdout.trim().split("\n") };
}

const version = existsSync(FPVEC) ? qemuVersion() : null;
const live = version ? runLive() : null;
if (live && process.env.FP_RECORD) {
  writeFileSync(EXPECTED, gzipSync(live.out, { level: 9 }));
  const meta: Meta = { ops: live.list, count: set.count, inputSha256, qemu: version ?? "" };
  writeFileSync(META, JSON.stringify(meta, null, 1) + "\n");
}
const meta = JSON.parse(readFileSync(META, "utf8")) as Meta;
const recorded = gunzipSync(readFileSync(EXPECTED));

/** Compares every vector's result and flags with the oracle; returns the mismatch report. */
function compare(oracle: Buffer, dyn: boolean): { mismatches: number; report: string[]; perOp: Map<string, number> } {
  const cpu = newCpu();
  const report: string[] = [];
  const perOp = new Map<string, number>();
  let mismatches = 0;
  for (let i = 0; i < set.count; i++) {
    const spec = OPS[set.op[i]];
    const got = execute(cpu, spec, set.rm[i], dyn, set.a[i], set.b[i], set.c[i]);
    const want = oracle.readBigUInt64LE(9 * i);
    const wantFlags = oracle[9 * i + 8];
    if (got.result !== want || got.flags !== wantFlags) {
      mismatches++;
      perOp.set(spec.name, (perOp.get(spec.name) ?? 0) + 1);
      if (report.length < 40) {
        const h = (v: bigint) => v.toString(16).padStart(16, "0");
        report.push(`${spec.name} rm=${set.rm[i]} a=${h(set.a[i])} b=${h(set.b[i])} c=${h(set.c[i])}: ` +
          `got ${h(got.result)}/${got.flags.toString(16)} want ${h(want)}/${wantFlags.toString(16)}`);
      }
    }
  }
  return { mismatches, report, perOp };
}

describe("F/D against qemu-riscv64", () => {
  it("uses the recorded oracle output for exactly these vectors and ops", () => {
    expect(meta.ops).toEqual(OPS.map((o) => o.name));
    expect(meta.count).toBe(set.count);
    expect(meta.inputSha256).toBe(inputSha256);
    expect(recorded.length).toBe(9 * set.count);
    if (live) {
      expect(live.list).toEqual(meta.ops);
      expect(live.out.equals(recorded)).toBe(true);
    }
  });

  for (const dyn of [false, true]) {
    it(`matches every result and flag set with ${dyn ? "rm=DYN (frm)" : "static rm"}`, () => {
      const { mismatches, report, perOp } = compare(live ? live.out : recorded, dyn);
      const summary = [...perOp].map(([n, k]) => `${n}: ${k}`).join(", ");
      expect(mismatches, `${mismatches} of ${set.count} mismatch (${summary})\n${report.join("\n")}`).toBe(0);
    });
  }
});
