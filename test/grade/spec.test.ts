// The assignment spec: the shipped one is valid, and a broken one is reported with its file,
// line and field.

import { describe, expect, it } from "vitest";
import { loadSpec, parseSpec, SpecError } from "../../src/grade/spec.ts";

const SPEC = "samples/assignments/hello2/spec.yaml";

const minimal = (test: string) => `assignment: a
arch: riscv64
syscall: { name: hello2, nr: 401 }
tests:
  - name: first
    program: tests/x
    points: 1
${test}`;

function errorOf(text: string): string {
  try {
    parseSpec(text, "s.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error("the spec was accepted");
}

describe("spec.yaml", () => {
  it("the shipped hello2 spec is valid and worth 100 points", () => {
    const spec = loadSpec(SPEC);
    expect(spec.arch).toBe("riscv64");
    expect(spec.tests.length).toBe(18);
    expect(spec.tests.reduce((a, t) => a + t.points, 0)).toBe(100);
    expect(spec.tests.find((t) => t.name.startsWith("sandbox:"))?.sandbox).toBe("no_file_access");
  });

  it("a field of the wrong type names its line and path", () => {
    expect(errorOf(minimal("  - name: second\n    program: tests/y\n    points: many\n"))).toMatch(/^s\.yaml:10: tests\[1\]\.points: /);
  });

  it("a missing field names the line of the test that lacks it", () => {
    expect(errorOf(minimal("  - name: second\n    points: 2\n"))).toMatch(/^s\.yaml:8: tests\[1\]\.program: /);
  });

  it("an unknown field, a bad regex and a duplicate name are errors", () => {
    expect(errorOf(minimal("  - name: second\n    program: p\n    points: 1\n    colour: red\n"))).toMatch(/^s\.yaml:8: tests\[1\]: .*colour/);
    expect(errorOf(minimal("  - name: second\n    program: p\n    points: 1\n    dmesg: ['(']\n"))).toMatch(/^s\.yaml:11: tests\[1\]\.dmesg\[0\]: not a valid regular expression/);
    expect(errorOf(minimal("  - name: first\n    program: p\n    points: 1\n"))).toMatch(/^s\.yaml:8: tests\[1\]\.name: a second test named 'first'/);
  });

  it("YAML that does not parse names its line", () => {
    expect(errorOf("assignment: a\ntests: [\n  - x: 1\n")).toMatch(/^s\.yaml:\d+: /);
  });

  it("a file path under --root may not climb out of it", () => {
    expect(errorOf(minimal("  - name: second\n    program: p\n    points: 1\n    files: { '../etc/x': 'y' }\n"))).toMatch(/tests\[1\]\.files/);
  });
});
