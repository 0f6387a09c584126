// Inside the plug-in sandbox (see sandbox.ts): read the request on stdin, load the plug-in from
// memory (a data: URL, so loading reads no file), run each job on a fresh kernel with a fresh
// instance of the plug-in, and write the observations to fd 3. Every file access the
// permission model refuses while plug-in code runs is recorded, even one the plug-in catches.

import * as fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { riscv64Syscalls } from "../../syscalls/index.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import type { SyscallDef } from "../../syscalls/types.ts";
import { addPlugins, type PluginSyscall } from "../kernel/plugins.ts";
import { importESM } from "../util/import-esm.ts";
import type { Observation } from "./check.ts";
import { observed } from "./grade.ts";
import { runProgram } from "./runner.ts";
import type { SandboxLine, SandboxRequest } from "./sandbox.ts";

let inPlugin = 0;
let denied: string[] = [];

/** Wraps fs so that a refused access made by plug-in code is remembered. */
function watchFs(): void {
  const note = (e: unknown, arg: unknown) => {
    const err = e as { code?: string; resource?: string };
    if (inPlugin > 0 && err?.code === "ERR_ACCESS_DENIED") denied.push(err.resource || String(arg));
  };
  const wrap = (obj: Record<string, unknown>, promises: boolean) => {
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v !== "function" || /^[A-Z]/.test(k)) continue;
      const f = v as (...a: unknown[]) => unknown;
      obj[k] = function (this: unknown, ...a: unknown[]) {
        try {
          const r = f.apply(this, a);
          if (promises && r instanceof Promise) return r.catch((e) => { note(e, a[0]); throw e; });
          return r;
        } catch (e) {
          note(e, a[0]);
          throw e;
        }
      };
    }
  };
  // the builtin's own exports object (a bundle's `import * as fs` is a frozen copy of it)
  const real = process.getBuiltinModule("node:fs");
  wrap(real as unknown as Record<string, unknown>, false);
  wrap(real.promises as unknown as Record<string, unknown>, true);
  syncBuiltinESMExports();
}

async function loadPlugins(req: SandboxRequest, instance: number): Promise<PluginSyscall[]> {
  const calls: PluginSyscall[] = [];
  for (const p of req.plugins) {
    // a comment of its own per instance: a new module, with fresh module-level state
    const code = `${p.code}\n//# sysemu instance ${instance}\n`;
    inPlugin++;
    let mod: Record<string, unknown>;
    try {
      mod = await importESM(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    } finally {
      inPlugin--;
    }
    for (const v of Object.values(mod).flat()) {
      if (typeof v === "object" && v !== null && "fn" in v && "nr" in v) calls.push(guarded(v as PluginSyscall));
    }
  }
  if (calls.length === 0) throw new Error("it exports no system calls (objects with nr, name, args and fn)");
  return calls;
}

/** The plug-in's handler, marked as plug-in code while it runs. */
function guarded(c: PluginSyscall): PluginSyscall {
  const fn: SyscallDef["fn"] = (t, a, k) => {
    inPlugin++;
    try {
      return c.fn(t, a, k);
    } finally {
      inPlugin--;
    }
  };
  return { ...c, fn };
}

export async function sandboxMain(): Promise<number> {
  const req = JSON.parse(fs.readFileSync(0, "utf8")) as SandboxRequest;
  watchFs();
  const programs = req.programs.map((b) => new Uint8Array(Buffer.from(b, "base64")));
  const base = riscv64Syscalls({ hello: false });
  for (let i = 0; i < req.jobs.length; i++) {
    const job = req.jobs[i]!;
    denied = [];
    let calls: PluginSyscall[];
    try {
      calls = await loadPlugins(req, i);
    } catch (e) {
      send({ loadError: (e as Error).message.split("\n")[0] ?? "", denied });
      return 0;
    }
    if (job.program < 0) {
      send({ ...empty(), setupError: job.setupError ?? "no program" });
      continue;
    }
    const table = new Map<number, TableEntry>(base);
    addPlugins(table, calls, req.plugins[0]!.file);
    const o = await runProgram({ ...job, elf: programs[job.program]!, table });
    send({ ...observed(o), denied });
  }
  return 0;
}

/** Each job's result as it is known: the grader's clock runs per job. */
function send(line: SandboxLine): void {
  writeAll(3, Buffer.from(JSON.stringify(line) + "\n"));
}

/** fd 3 may be a non-blocking socket: write until all of it is out. */
function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function empty(): Observation {
  return { stdout: "", stderr: "", status: 0, signal: null, stoppedBy: "exit", dmesg: [], calls: [], findings: [], denied: [] };
}
