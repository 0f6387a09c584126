// `sysemu grade` end to end: every shipped submission loses exactly the points of the test
// named for its bug, the plug-in sandbox holds, results are reproducible under --seed, and
// each output format says the same thing.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kmod } from "../../src/grade/kmod-link.ts";
import { sysemu } from "../e2e/helpers.ts";

const DIR = "samples/assignments/hello2";
const SPEC = `${DIR}/spec.yaml`;
const haveKmod = kmod !== null;
const tmp = mkdtempSync(join(tmpdir(), "sysemu-grade-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each shipped submission: its score and the one test it fails (null: full marks). */
const EXPECTED: Record<string, [number, string | null]> = {
  "correct": [100, null],
  "reference": [100, null], // kmod's samples/kmod/0001-add-sys_hello2.patch
  "no-efault-out": [93, "hello2: -EFAULT for a bad out (NULL, unmapped, read-only)"],
  "nr-calls-not-counting": [93, "hello2: nr_calls counts every call"],
  "wrong-return-value": [93, "hello2: a valid call returns 0"],
  "no-random-bytes": [93, "hello2: rand_data holds fresh random bytes"],
  "double-fetch": [95, "uaccess: *in is read once (no double fetch)"],
  "unbounded-name-copy": [95, "hello2: a 200-byte name does not overflow the kernel's buffer"],
  "endless-loop": [95, "hello2: -EFAULT for a bad in (NULL, unmapped)"],
  "wrong-log-line": [93, "hello2: logs the pr_info line of the assignment"],
  "ts-reads-spec": [95, "sandbox: the kernel code touches no host file"],
};

interface Gradescope {
  score: number;
  execution_time: number;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[];
}

function gradeAll(out: string): ReturnType<typeof sysemu> {
  return sysemu(["grade", SPEC, "--submissions", `${DIR}/submissions`, "--jobs", "2", "--seed", "7", "--format", "gradescope", "--out", out], { timeoutMs: 600_000 });
}

describe("sysemu grade: the shipped hello2 submissions", () => {
  const first = join(tmp, "first"), second = join(tmp, "second");
  const names = readdirSync(`${DIR}/submissions`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it("ships a submission for every bug class and nothing unexpected", () => {
    expect(names.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("grades them all in parallel workers, with a summary table", () => {
    const r = gradeAll(first);
    expect(r.stderr).toBe(""); // not a terminal: no progress bar
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^submission +score +failed tests\n/);
    expect(r.stdout).toMatch(/ts-reads-spec +95\/100 +sandbox: the kernel code touches no host file/);
  }, 600_000);

  for (const [name, [score, failing]] of Object.entries(EXPECTED)) {
    it.skipIf(!haveKmod && name !== "ts-reads-spec")(`${name}: ${score}/100${failing ? `, failing "${failing}"` : ""}`, () => {
      const g = JSON.parse(readFileSync(join(first, `${name}.json`), "utf8")) as Gradescope;
      const failed = g.tests.filter((t) => t.status === "failed");
      expect(failed.map((t) => t.name)).toEqual(failing ? [failing] : []);
      expect(g.score).toBe(score);
      for (const t of failed) expect(t.output.length).toBeGreaterThan(20); // a message, not just a verdict
      expect(g.execution_time).toBe(0); // --seed
    });
  }

  it("the plug-in that reads the spec is told so, by a named test", () => {
    const g = JSON.parse(readFileSync(join(first, "ts-reads-spec.json"), "utf8")) as Gradescope;
    const t = g.tests.find((x) => x.status === "failed")!;
    expect(t.output).toMatch(/^sandbox: plug-in tried to read a file \(\.\.\/\.\.\/spec\.yaml, \/etc\/passwd\)/);
  });

  it("the same submissions, spec and --seed give byte-identical files", () => {
    expect(gradeAll(second).status).toBe(0);
    for (const name of names) expect(readFileSync(join(second, `${name}.json`), "utf8"), name).toBe(readFileSync(join(first, `${name}.json`), "utf8"));
  }, 600_000);
});

describe("sysemu grade: the plug-in sandbox's limits", () => {
  it("a handler that never returns costs one test; the next tests and submissions go on", () => {
    const subs = join(tmp, "subs");
    cpSync("test/grade/fixtures/ts-endless", join(subs, "a-endless"), { recursive: true });
    cpSync(`${DIR}/submissions/ts-reads-spec`, join(subs, "b-reads-spec"), { recursive: true });
    const r = sysemu(["grade", "test/grade/fixtures/short.yaml", "--submissions", subs, "--seed", "1", "--jobs", "1"], { timeoutMs: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a-endless +5\/7 +huge len\n/);
    expect(r.stdout).toMatch(/b-reads-spec +7\/7 +-\n/);
  }, 120_000);
});

describe("sysemu grade: output formats", () => {
  const sub = `${DIR}/submissions/ts-reads-spec`;
  const run = (format: string) => sysemu(["grade", SPEC, "--submission", sub, "--seed", "3", "--format", format], { timeoutMs: 120_000 });

  it("PrairieLearn: gradable, score 0..1, points", () => {
    const pl = JSON.parse(run("prairielearn").stdout);
    expect(pl).toMatchObject({ gradable: true, score: 0.95, points: 95, max_points: 100 });
    expect(pl.tests).toHaveLength(18);
    expect(pl.tests.at(-1)).toMatchObject({ name: "sandbox: the kernel code touches no host file", points: 0, max_points: 5 });
  }, 120_000);

  it("JUnit XML: one testcase per test, the failure with its message", () => {
    const xml = run("junit").stdout;
    expect(xml).toMatch(/<testsuite name="ts-reads-spec" tests="18" failures="1"/);
    expect(xml).toMatch(/<testcase classname="ts-reads-spec" name="sandbox: the kernel code touches no host file" time="0">\n +<failure message="sandbox: plug-in tried to read a file/);
    expect(xml.match(/<testcase /g)).toHaveLength(18);
  }, 120_000);

  it("text: PASS/FAIL lines and the total", () => {
    const text = run("text").stdout;
    expect(text).toMatch(/^ts-reads-spec: 95\/100\n/);
    expect(text).toMatch(/\nFAIL    0\/5   sandbox: the kernel code touches no host file\n/);
    expect(text.match(/\nPASS /g)).toHaveLength(17);
  }, 120_000);

  it("a bad command line or spec is one line and status 2", () => {
    const r = sysemu(["grade", SPEC, "--format", "csv", "--submission", sub]);
    expect([r.status, r.stderr]).toEqual([2, "sysemu: --format must be one of gradescope, prairielearn, junit, text\n"]);
    const bad = sysemu(["grade", "package.json", "--submission", sub]); // JSON is YAML, but not a spec
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^sysemu: package\.json:1: [a-z(]/);
    expect(bad.stderr.split("\n")).toHaveLength(2);
  });
});
