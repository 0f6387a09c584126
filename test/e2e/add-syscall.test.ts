// The walk-through of adding a system call, done for real on a copy of the sources: one new
// handler file (a new family, found without editing a list) and one line in the table, run
// through bin/sysemu with strace. Then the handler changes and nobody rebuilds: the copy's
// bundle still runs the old handler, which is what an e2e test would have tested without the
// vitest global setup; the setup's rebuild (tools/dist-fresh.ts, run as vitest runs it) makes
// the new handler the one that runs.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import config from "../../vitest.config.ts";
import { ensureFreshDist, staleInput } from "../../tools/dist-fresh.ts";
import { sysemu } from "./helpers.ts";

const TOY = resolve("samples/riscv64/toy"); // calls 402 as toy(buf, 64), then toy(buf, 4)

/** The handler file a newcomer writes: the whole of the call, and what strace shows. */
const handler = (greeting: string) => `// A toy system call: copies a greeting to user memory.
import { defineSyscall } from "./types.ts";

const GREETING = new TextEncoder().encode(${JSON.stringify(greeting)});

/** long sys_toy(char __user *buf, size_t len) */
export const sys_toy = defineSyscall({
  name: "toy", args: ["buf_out", "size"],
  fn: (t, a, k) => {
    if (a.size(1) < GREETING.length) return -k.errno.EINVAL;
    if (k.copy_to_user(t.mm, a.ptr(0), GREETING)) return -k.errno.EFAULT;
    return GREETING.length;
  },
});
`;

const dir = realpathSync(mkdtempSync(join(tmpdir(), "sysemu-add-syscall-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, "bin/sysemu"), ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("adding a system call", () => {
  it("is not there yet: 402 is ENOSYS, logged once for its two calls", () => {
    const r = sysemu(["run", "--dmesg", TOY]);
    expect(r.status).toBe(38);
    expect(r.stdout).toBe("");
    expect(r.stderr.match(/unimplemented syscall 402 /g)).toHaveLength(1);
  });

  it("takes one handler file and one table line, and runs end to end with strace", () => {
    for (const d of ["src", "syscalls", "tools", "bin", "package.json"]) cpSync(d, join(dir, d), { recursive: true });
    symlinkSync(realpathSync("node_modules"), join(dir, "node_modules"));
    // the two edits, and nothing else
    writeFileSync(join(dir, "syscalls/toy.ts"), handler("Hello from toy!\n"));
    const tbl = join(dir, "syscalls/tbl/riscv64.ts");
    writeFileSync(tbl, readFileSync(tbl, "utf8").replace(/\n`;\s*$/, "\n402    common   toy                  sys_toy\n`;\n"));

    expect(ensureFreshDist(dir)).not.toBeNull(); // what `npx vitest run` does before any test
    const r = run(["run", "--strace", TOY]);
    expect(r.stdout).toBe("Hello from toy!\n");
    expect(r.status).toBe(22); // the second call's EINVAL
    expect(r.stderr).toMatch(/^toy\("Hello from toy!\\n", 64\) += 16$/m);
    expect(r.stderr).toMatch(/^toy\(0x[0-9a-f]+, 4\) += -1 EINVAL/m);
    expect(run(["syscalls"]).stdout).toMatch(/^ 402  toy +syscalls\/toy\.ts/m);
  });

  it("runs the changed handler only after a rebuild, which the global setup does", () => {
    writeFileSync(join(dir, "syscalls/toy.ts"), handler("Hello from toy, v2!\n"));
    // No rebuild: the bundle is the old one, so an e2e test of v2 would fail (or pass on v1).
    expect(run(["run", TOY]).stdout).toBe("Hello from toy!\n");
    expect(staleInput(dir)).toBe("syscalls/toy.ts");
    // The setup vitest runs first sees the newer handler and rebuilds.
    expect(config.test?.globalSetup).toContain("./tools/vitest-global-setup.ts");
    expect(ensureFreshDist(dir)).toBe("syscalls/toy.ts");
    expect(run(["run", TOY]).stdout).toBe("Hello from toy, v2!\n");
    expect(staleInput(dir)).toBeNull();
  });
});
