// A wasm guest that waits for its input: poll_oneoff on descriptors goes through the kernel's
// ppoll, and a read of an empty pipe sleeps until the writer writes or closes (a wasm guest
// cannot be parked, so sysemu itself waits). stdin is a real pipe fed with delays by sh.

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `FEED | sysemu run ARGS`, FEED a shell command writing to the pipe. A writer that must stay
 * silent leaves a background `sleep` holding the pipe open (SILENT) rather than sleeping in the
 * foreground: on a loaded machine sysemu may start more than a second late, and a foreground
 * writer would then have closed the pipe before the guest polls.
 */
function fed(feed: string, args: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("sh", ["-c", `(${feed}) | "${process.execPath}" bin/sysemu run ${args}`], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same module under node:wasi (test/wasm/node-wasi.mjs). */
function fedNode(feed: string, file: string): string {
  return spawnSync("sh", ["-c", `(${feed}) | "${process.execPath}" --no-warnings test/wasm/node-wasi.mjs ${file}`], { encoding: "utf8", timeout: 60_000 }).stdout;
}

const POLL = "samples/wasm/poll.wasm";
const SILENT = "sleep 30 2>/dev/null &";
const TAIL = "stdout: poll=1 POLLOUT\nfd 99: poll=1 POLLNVAL\n";

describe("poll_oneoff and blocking reads on a pipe", () => {
  it("waits out its timeout while the writer is silent, as node:wasi does", () => {
    const r = fed(SILENT, POLL);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("stdin: poll=0, waited the whole timeout: yes\n" + TAIL);
    expect(fedNode(SILENT, POLL).split("\n")[0]).toBe("stdin: poll=0, waited the whole timeout: yes");
  });

  it("returns as data arrives, with the bytes readable", () => {
    const r = fed(`sleep 0.1; echo late; ${SILENT}`, POLL);
    expect(r.stdout).toBe("stdin: poll=1 POLLIN, waited the whole timeout: no\nread 5 bytes\n" + TAIL);
    expect(fedNode(`sleep 0.1; echo late; ${SILENT}`, POLL).split("\n").slice(0, 2)).toEqual(["stdin: poll=1 POLLIN, waited the whole timeout: no", "read 5 bytes"]);
  });

  it("reports the writer's close as POLLIN|POLLHUP and a read of 0", () => {
    const r = fed("true", POLL);
    expect(r.stdout).toBe("stdin: poll=1 POLLIN POLLHUP, waited the whole timeout: no\nread 0 bytes\n" + TAIL);
  });

  it("a read of an empty pipe sleeps until the writer writes, then reads to its end", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-e2e-wasm-wait-"));
    const r = fed("sleep 0.2; printf abc; sleep 0.3; printf de", `--dir ${dir}:/sandbox samples/wasm/tour.wasm /sandbox`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("stdin: 5 bytes\n");
    expect(r.status).toBe(3); // tour.wasm's own exit status
  });
});
