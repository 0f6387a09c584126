// The results of one submission in the formats graders read: Gradescope's results.json,
// PrairieLearn's external-grader results, JUnit XML (GitHub Actions, GitLab, Jenkins), and a
// text report for a person. Every format is a pure function of the result: same result, same bytes.

import type { SubmissionResult, TestResult } from "./grade.ts";

export const FORMATS = ["gradescope", "prairielearn", "junit", "text"] as const;
export type Format = (typeof FORMATS)[number];

export function formatResult(r: SubmissionResult, format: Format): string {
  switch (format) {
    case "gradescope": return gradescope(r);
    case "prairielearn": return prairielearn(r);
    case "junit": return junit([r]);
    case "text": return text(r);
  }
}

/** The file extension for a format (for --submissions --out DIR). */
export function extensionOf(format: Format): string {
  return format === "junit" ? "xml" : format === "text" ? "txt" : "json";
}

function gradescope(r: SubmissionResult): string {
  return JSON.stringify({
    score: r.score,
    execution_time: r.execution_time,
    output: r.output,
    stdout_visibility: r.stdout_visibility,
    tests: r.tests.map((t) => ({ name: t.name, score: t.score, max_score: t.max_score, status: t.status, output: t.output, visibility: t.visibility, tags: t.tags })),
  }, null, 2) + "\n";
}

function prairielearn(r: SubmissionResult): string {
  return JSON.stringify({
    gradable: true,
    score: r.max_score > 0 ? r.score / r.max_score : 0,
    points: r.score,
    max_points: r.max_score,
    output: r.output,
    tests: r.tests.map((t) => ({ name: t.name, points: t.score, max_points: t.max_score, output: t.output, message: t.status === "passed" ? "" : firstLine(t.output) })),
  }, null, 2) + "\n";
}

const xmlEscape = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");

/** One <testsuite> per submission. */
export function junit(rs: SubmissionResult[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = rs.reduce((a, r) => a + r.tests.filter((t) => t.status === "failed").length, 0);
  const tests = rs.reduce((a, r) => a + r.tests.length, 0);
  lines.push(`<testsuites tests="${tests}" failures="${failures}">`);
  for (const r of rs) {
    const f = r.tests.filter((t) => t.status === "failed").length;
    lines.push(`  <testsuite name="${xmlEscape(r.submission)}" tests="${r.tests.length}" failures="${f}" time="${r.execution_time}">`);
    lines.push(`    <properties><property name="score" value="${r.score}"/><property name="max_score" value="${r.max_score}"/></properties>`);
    for (const t of r.tests) lines.push(testcase(r, t));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

function testcase(r: SubmissionResult, t: TestResult): string {
  const head = `    <testcase classname="${xmlEscape(r.submission)}" name="${xmlEscape(t.name)}" time="0"`;
  if (t.status === "passed") return `${head}/>`;
  return `${head}>\n      <failure message="${xmlEscape(firstLine(t.output))}">${xmlEscape(t.output)}</failure>\n    </testcase>`;
}

function text(r: SubmissionResult): string {
  const lines = [`${r.submission}: ${r.score}/${r.max_score}`, ""];
  for (const t of r.tests) {
    lines.push(`${t.status === "passed" ? "PASS" : "FAIL"}  ${String(t.score).padStart(3)}/${String(t.max_score).padEnd(3)} ${t.name}`);
    if (t.status === "failed") for (const l of t.output.split("\n")) lines.push(`        ${l}`);
  }
  lines.push("", r.output);
  return lines.join("\n") + "\n";
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? "";
}

/** The end-of-run table for --submissions: one row per student. */
export function summaryTable(rs: SubmissionResult[]): string {
  const w = Math.max(10, ...rs.map((r) => r.submission.length));
  const lines = [`${"submission".padEnd(w)}  ${"score".padStart(9)}  failed tests`];
  for (const r of rs) {
    const failed = r.tests.filter((t) => t.status === "failed").map((t) => t.name);
    lines.push(`${r.submission.padEnd(w)}  ${`${r.score}/${r.max_score}`.padStart(9)}  ${failed.length ? failed.join("; ") : "-"}`);
  }
  return lines.join("\n") + "\n";
}
