// A test's expectations held against what its run showed. Every failure is said in words a
// student can act on: what happened, what the assignment wants, then the evidence (the
// program's own message, the kernel log lines that matter).

import { errnoName } from "../kernel/errno.ts";
import { signalName } from "../kernel/signal/signal.ts";
import type { TestSpec, TraceProperty, UaccessProperty } from "./spec.ts";
import type { CallEvent } from "./trace.ts";

/** A uaccess finding (src/kmod's analysis), as the grader reports it. */
export interface Finding {
  kind: "double-fetch" | "overrun" | "read-outside" | "unchecked-copy" | "write-outside";
  message: string;
}

/** What a run showed: the part the checks need (also what the plug-in sandbox sends back). */
export interface Observation {
  stdout: string;
  stderr: string;
  status: number;
  signal: number | null;
  stoppedBy: string;
  dmesg: string[];
  calls: CallEvent[];
  findings: Finding[];
  /** Files the plug-in tried to reach from its sandbox. */
  denied: string[];
  /** Set when the run could not happen at all (no kernel code, a build failure). */
  setupError?: string;
}

export interface Verdict {
  passed: boolean;
  output: string;
}

const KINDS_OF: Record<UaccessProperty, Finding["kind"][]> = {
  no_double_fetch: ["double-fetch"], no_overrun: ["overrun", "read-outside"], no_unchecked_copy: ["unchecked-copy"], no_write_outside_out: ["write-outside"],
};

/** Kernel-log lines that say the kernel code itself went wrong, with what they mean. */
const KERNEL_TROUBLE: [RegExp, string][] = [
  [/soft lockup/, "the system call never returned (the kernel's watchdog reported a soft lockup): look for a loop that does not end"],
  [/stack-protector/, "the system call overwrote its own stack (stack-protector): a copy into a kernel buffer was longer than the buffer; bound it by the buffer's size"],
  [/BUG:|Oops|Unable to handle/, "the kernel code crashed (an oops) and the calling program was killed"],
];

export function checkTest(t: TestSpec, o: Observation, syscall: string): Verdict {
  if (o.setupError) return fail(t, [o.setupError]);
  const why: string[] = [];
  if (o.stoppedBy === "timeout" || o.stoppedBy === "max-insns") why.push(`the test did not finish in time (${o.stoppedBy === "timeout" ? "time limit" : "instruction limit"}): an endless loop?`);
  if (o.stoppedBy === "exec-failed") why.push(o.stderr);
  checkExit(t, o, why);
  checkStdout(t, o, why);
  for (const re of t.dmesg) if (!o.dmesg.some((l) => new RegExp(re).test(l))) why.push(`the kernel log has no line matching /${re}/`);
  for (const re of t.dmesg_not) {
    const line = o.dmesg.find((l) => new RegExp(re).test(l));
    if (line !== undefined) why.push(`the kernel log has a line it must not have: ${line}`);
  }
  for (const p of t.trace) checkTrace(p, o.calls, syscall, why);
  for (const p of t.uaccess) for (const f of o.findings) if (KINDS_OF[p].includes(f.kind)) why.push(`${f.kind}: ${f.message}`);
  if (t.sandbox && o.denied.length > 0) why.push(`sandbox: plug-in tried to read a file (${o.denied.slice(0, 3).join(", ")}): kernel code reaches user memory through the uaccess helpers only, never the host's files`);
  if (why.length === 0) return { passed: true, output: firstLine(o.stdout) };
  return fail(t, [...dedupe(why), ...evidence(o)]);
}

function checkExit(t: TestSpec, o: Observation, why: string[]): void {
  const e = t.exit;
  if (e === undefined) return;
  const killed = o.signal !== null ? `the test program was killed by ${signalName(o.signal)}` : null;
  if (typeof e === "number" || "status" in e) {
    const want = typeof e === "number" ? e : e.status;
    if (killed) why.push(killed);
    else if (o.status !== want && o.stoppedBy === "exit") why.push(o.stdout.trim() ? firstLine(o.stdout) : `the test program exited with ${o.status}, not ${want}`);
  } else if ("signal" in e) {
    if (o.signal === null || signalName(o.signal) !== e.signal) why.push(`the test program should have been killed by ${e.signal}; it ${killed ? killed.replace("the test program was", "was") : `exited with ${o.status}`}`);
  } else if (killed) why.push(killed);
}

function checkStdout(t: TestSpec, o: Observation, why: string[]): void {
  const s = t.stdout;
  if (s === undefined) return;
  if (typeof s === "string" || "exact" in s) {
    const want = typeof s === "string" ? s : s.exact;
    if (o.stdout !== want) why.push(`the output was ${JSON.stringify(clip(o.stdout))}, expected ${JSON.stringify(clip(want))}`);
  } else if ("regex" in s) {
    if (!new RegExp(s.regex, "m").test(o.stdout)) why.push(`the output ${JSON.stringify(clip(o.stdout))} does not match /${s.regex}/`);
  } else {
    for (const c of Array.isArray(s.contains) ? s.contains : [s.contains]) if (!o.stdout.includes(c)) why.push(`the output does not contain ${JSON.stringify(c)}`);
  }
}

function checkTrace(p: TraceProperty, calls: CallEvent[], syscall: string, why: string[]): void {
  const named = (name: string) => calls.filter((c) => c.name === name || (name === syscall && c.name === `sys_${syscall}`));
  if ("times" in p) {
    const n = named(p.call).length;
    if (n !== p.times) why.push(`${p.call} was called ${n} time${n === 1 ? "" : "s"}, expected exactly ${p.times}`);
  } else if ("at_least" in p) {
    const n = named(p.call).length;
    if (n < p.at_least) why.push(`${p.call} was called ${n} time${n === 1 ? "" : "s"}, expected at least ${p.at_least}`);
  } else {
    const bad = (p.call ? named(p.call) : calls).find((c) => c.ret !== null && c.ret < 0 && errnoName(-c.ret) === p.no_errno);
    if (bad) why.push(`${bad.name} failed with ${p.no_errno}${p.call ? "" : " (no call may)"}`);
  }
}

function fail(t: TestSpec, lines: string[]): Verdict {
  return { passed: false, output: [t.message, ...lines].filter((l): l is string => !!l).join("\n") };
}

/** The kernel log lines that explain a failure (oops, lockup, stack-protector), each with its meaning once. */
function evidence(o: Observation): string[] {
  const out: string[] = [];
  for (const [re, meaning] of KERNEL_TROUBLE) {
    const hits = o.dmesg.filter((l) => re.test(l));
    if (hits.length === 0) continue;
    out.push(meaning, ...hits.slice(0, 2).map((l) => `  kernel: ${l}`));
    break;
  }
  if (o.stderr.trim() && o.stoppedBy !== "exec-failed") out.push(`stderr: ${clip(o.stderr.trim())}`);
  return out;
}

function dedupe(a: string[]): string[] {
  return [...new Set(a)];
}

function firstLine(s: string): string {
  return s.trim().split("\n")[0] ?? "";
}

function clip(s: string): string {
  return s.length > 400 ? `${s.slice(0, 400)}...` : s;
}
