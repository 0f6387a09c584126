// The assignment's spec (samples/assignments/hello2/spec.yaml): what each test runs and what it
// expects. Parsed with `yaml` (which keeps every node's source range) and validated with zod;
// an error names the file, the line of the offending node and the field's path.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";

/** A spec that cannot be used: `file:line: field: reason`. */
export class SpecError extends Error {}

const regex = z.string().min(1).refine((s) => { try { new RegExp(s); return true; } catch { return false; } }, "not a valid regular expression");

const stdoutSchema = z.union([
  z.string(),
  z.object({ exact: z.string() }).strict(),
  z.object({ regex }).strict(),
  z.object({ contains: z.union([z.string(), z.array(z.string())]) }).strict(),
]);

const exitSchema = z.union([
  z.number().int().min(0).max(255),
  z.object({ status: z.number().int().min(0).max(255) }).strict(),
  z.object({ signal: z.string().regex(/^SIG[A-Z0-9]+$/, "a signal name such as SIGSEGV") }).strict(),
  z.object({ not_killed: z.literal(true) }).strict(),
]);

/** A syscall-trace property, checked on the calls the program made (strace events, in-process). */
const traceSchema = z.union([
  z.object({ call: z.string(), times: z.number().int().min(0) }).strict(),
  z.object({ call: z.string(), at_least: z.number().int().min(0) }).strict(),
  z.object({ no_errno: z.string().regex(/^E[A-Z0-9]+$/, "an errno name such as EFAULT"), call: z.string().optional() }).strict(),
]);

export const UACCESS_PROPERTIES = ["no_double_fetch", "no_overrun", "no_unchecked_copy", "no_write_outside_out"] as const;
export type UaccessProperty = (typeof UACCESS_PROPERTIES)[number];

export const VISIBILITIES = ["visible", "hidden", "after_due_date", "after_published"] as const;

const testSchema = z.object({
  name: z.string().min(1),
  /** A path (relative to the spec) of a prebuilt program, or "$student": the submission's own *.c. */
  program: z.string().min(1),
  args: z.array(z.string()).default([]),
  stdin: z.string().default(""),
  env: z.record(z.string(), z.string()).default({}),
  /** Files the guest sees below its root: path → content. */
  files: z.record(z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, "a relative path inside the root (no leading /, no ..)"), z.string()).default({}),
  stdout: stdoutSchema.optional(),
  exit: exitSchema.optional(),
  /** Kernel-log lines that must appear (each a regex matched against one line). */
  dmesg: z.array(regex).default([]),
  /** Kernel-log lines that must not appear. */
  dmesg_not: z.array(regex).default([]),
  trace: z.array(traceSchema).default([]),
  uaccess: z.array(z.enum(UACCESS_PROPERTIES)).default([]),
  /** The TypeScript plug-in's sandbox recorded no attempt to reach a file. */
  sandbox: z.literal("no_file_access").optional(),
  points: z.number().min(0),
  visibility: z.enum(VISIBILITIES).default("visible"),
  max_insns: z.number().int().positive().optional(),
  timeout: z.number().positive().optional(),
  /** What the student reads when the test fails, before the details. */
  message: z.string().optional(),
  tags: z.array(z.string()).default([]),
}).strict();

const specSchema = z.object({
  assignment: z.string().min(1),
  arch: z.enum(["riscv64"]),
  /** The syscall under test: its name, and the number used when a patch gives none. */
  syscall: z.object({ name: z.string().regex(/^\w+$/), nr: z.number().int().min(0).max(4095) }).strict(),
  limits: z.object({ max_insns: z.number().int().positive().default(200_000_000), timeout: z.number().positive().default(20) }).strict().default({ max_insns: 200_000_000, timeout: 20 }),
  /** Compiler flags for the student's user-space program. */
  user_cflags: z.array(z.string()).default(["-static", "-O2"]),
  stdout_visibility: z.enum(VISIBILITIES).default("visible"),
  tests: z.array(testSchema).min(1),
}).strict().superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.tests.forEach((t, i) => {
    if (seen.has(t.name)) ctx.addIssue({ code: "custom", path: ["tests", i, "name"], message: `a second test named '${t.name}'` });
    seen.add(t.name);
  });
});

export type Spec = z.infer<typeof specSchema> & { file: string; dir: string };
export type TestSpec = z.infer<typeof testSchema>;
export type TraceProperty = z.infer<typeof traceSchema>;

/** Reads and validates a spec file. */
export function loadSpec(file: string): Spec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SpecError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseSpec(text, file);
}

/** Validates spec text; `file` names it in errors and anchors relative program paths. */
export function parseSpec(text: string, file: string): Spec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new SpecError(`${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split("\n")[0]}`);
  }
  const result = specSchema.safeParse(doc.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const field = path.length ? path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "") : "(top level)";
    const why = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, "missing (expected a $1)");
    throw new SpecError(`${file}:${lineOf(doc, lines, path)}: ${field}: ${why}`);
  }
  return { ...result.data, file: resolve(file), dir: dirname(resolve(file)) };
}

/** The line of the deepest node on `path` that exists (a missing field: its parent's line). */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** The host path of a prebuilt test program. */
export function programPath(spec: Spec, t: TestSpec): string {
  return resolve(spec.dir, t.program);
}

export const STUDENT_PROGRAM = "$student";
