// How a fuzzer case ends, and what of it is a finding: an exception out of sysemu (exit 70), a
// message of an internal error or an oops, a multi-line error, or a result Linux cannot give.

import { writeSync } from "node:fs";
import { CliError } from "../../src/util/errors.ts";

export interface Finding {
  kind: string;
  seed: number;
  index: number;
  detail: string;
}

/** Runs fn with process.stderr.write captured; returns what it wrote and the outcome. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ err: string; value?: T; thrown?: unknown }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { err, value };
  } catch (thrown) {
    return { err, thrown };
  } finally {
    process.stderr.write = orig;
  }
}

/** What is wrong with a run's outcome (null: nothing). `allowed` are the CliError statuses it may end in. */
export function judge(out: { err: string; thrown?: unknown }, allowed: readonly number[]): string | null {
  if (/internal error|oops|\n\s+at /.test(out.err)) return `stderr: ${out.err.trim().split("\n").slice(0, 3).join(" | ")}`;
  if (/0x-[0-9a-f]/.test(out.err)) return `a negative address: ${out.err.trim().split("\n")[0]}`;
  const e = out.thrown;
  if (e === undefined) return null;
  if (e instanceof CliError) {
    if (!allowed.includes(e.status)) return `exit ${e.status}: ${e.message}`;
    if (e.message.includes("\n")) return `a multi-line error: ${JSON.stringify(e.message)}`;
    return null;
  }
  return `exit 70 (internal error): ${e instanceof Error ? `${e.message}\n${e.stack}` : String(e)}`;
}

/** Reports go to fd 3 when the driver gave one (tools/fuzz.mjs), else stderr. */
const REPORT_FD = (() => {
  try {
    writeSync(3, "");
    return 3;
  } catch {
    return 2;
  }
})();

export function report(line: string): void {
  writeSync(REPORT_FD, line + "\n");
}
