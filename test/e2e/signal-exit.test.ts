// How `sysemu run` ends when its guest is killed by a signal (src/util/signal-exit.ts): it dies
// of the same signal, so a parent and a shell see what they see when the program runs natively.
// The oracles: the host CPU for the x86-64 samples, qemu-riscv64 for riscv64 (which dies of the
// guest's signal too). Core-dumping signals are compared under `ulimit -c 0`; with a core limit
// sysemu exits 128+N instead, and so does every run given --exit-status.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canDieOf } from "../../src/util/signal-exit.ts";
import { buildModule, sleb } from "../wasm/harness.ts";
import { have } from "./helpers.ts";

const onX86Linux = arch() === "x64" && platform() === "linux";
const haveQemu = have("qemu-riscv64");
const SYSEMU = [process.execPath, "bin/sysemu", "run"];
/** Whether `ulimit -S -c` can be raised above 0 here (the hard limit allows it). */
const coreAllowed = spawnSync("sh", ["-c", "ulimit -H -c"], { encoding: "utf8" }).stdout.trim() !== "0";

/** The soft core limit a run gets: none, or as much as the hard limit lets. */
type Core = "0" | "hard";
const ulimit = (core: Core) => `ulimit -S -c ${core === "0" ? "0" : '"$(ulimit -H -c)"'}`;

interface Ended {
  stdout: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `cmd` as a parent that waits for it sees it end (spawnSync's status and signal). */
function direct(cmd: string[], core: Core = "0", cwd?: string): Ended {
  const r = spawnSync("sh", ["-c", `${ulimit(core)}; exec "$@"`, "sh", ...cmd], { encoding: "utf8", timeout: 60_000, cwd });
  return { stdout: r.stdout, status: r.status, signal: r.signal, stderr: r.stderr };
}

/**
 * Runs `cmd` under sh and returns its stdout, `status=$?`, and the shell's report of a death by
 * a signal ("Segmentation fault"; none for an exit): this tells a real-time signal, which Node
 * has no name for, from an exit with 128+N.
 */
function viaShell(cmd: string[], core: Core = "0"): { stdout: string; report: string } {
  const r = spawnSync("sh", ["-c", `${ulimit(core)}; "$@"; echo "status=$?"`, "sh", ...cmd], { encoding: "utf8", timeout: 60_000 });
  // sysemu's own "terminated by" line is not the shell's; a bash as sh would name a pid
  const report = r.stderr.split("\n").filter((l) => l && !l.startsWith("sysemu: ")).map((l) => l.replace(/^(\S+: )?(line \d+: )?\d+ +/, "").replace(/\s+"\$@"$/, ""));
  return { stdout: r.stdout, report: report.join("\n") };
}

const pick = ({ stdout, status, signal }: Ended) => ({ stdout, status, signal });
/** Signals with a name in Node (spawnSync reports them): hangup, abort, kill, user, segv, term. */
const NAMED = [1, 6, 9, 10, 11, 15];
/** Real-time signals: SIGRTMIN (34 for glibc programs), one in the middle, SIGRTMAX. */
const REALTIME = [34, 40, 64];

describe("a guest killed by a signal kills sysemu with the same signal (ulimit -c 0)", () => {
  it.runIf(onX86Linux)("x86-64: as the program natively, seen by its parent", () => {
    for (const sig of NAMED) {
      const prog = ["samples/x86_64/killself", String(sig)];
      const ours = direct([...SYSEMU, ...prog]);
      expect(pick(ours), `killself ${sig}`).toEqual(pick(direct(prog)));
      expect(ours.signal).not.toBeNull();
    }
    const segv = direct([...SYSEMU, "samples/x86_64/segv"]);
    expect(pick(segv)).toEqual(pick(direct(["samples/x86_64/segv"])));
    expect(segv.signal).toBe("SIGSEGV");
    expect(segv.stderr).toBe("sysemu: samples/x86_64/segv: terminated by SIGSEGV (fault address 0x0)\n");
  });

  it.runIf(onX86Linux)("x86-64: a shell says what it says natively (Segmentation fault, Real-time signal N)", () => {
    for (const sig of [11, 1, ...REALTIME]) {
      const prog = ["samples/x86_64/killself", String(sig)];
      const ours = viaShell([...SYSEMU, ...prog]);
      expect(ours, `killself ${sig}`).toEqual(viaShell(prog));
      expect(ours.report).not.toBe("");
    }
    expect(viaShell([...SYSEMU, "samples/x86_64/segv"])).toEqual({ stdout: "about to write through a NULL pointer\nstatus=139\n", report: viaShell(["samples/x86_64/segv"]).report });
  });

  it.runIf(haveQemu)("riscv64: as under qemu-riscv64", () => {
    for (const sig of NAMED) {
      const prog = ["samples/riscv64/killself", String(sig)];
      expect(pick(direct([...SYSEMU, ...prog])), `killself ${sig}`).toEqual(pick(direct(["qemu-riscv64", ...prog])));
    }
    for (const name of ["segv", "sigill", "tgkill"]) {
      const prog = [`samples/riscv64/${name}`];
      const ours = direct([...SYSEMU, ...prog]);
      expect(pick(ours), name).toEqual(pick(direct(["qemu-riscv64", ...prog])));
      expect(ours.signal, name).not.toBeNull();
    }
  });

  it("riscv64 real-time signals: as Linux, the host's own program (qemu-riscv64 7.2 moves them by 2 and cannot pass SIGRTMAX)", () => {
    for (const sig of REALTIME) {
      const ours = viaShell([...SYSEMU, "samples/riscv64/killself", String(sig)]);
      expect(ours.stdout).toBe(`killing myself with signal ${sig}\nstatus=${128 + sig}\n`);
      if (onX86Linux) expect(ours.report).toBe(viaShell(["samples/x86_64/killself", String(sig)]).report);
      else expect(ours.report).not.toBe("");
    }
  });

  it("a wasm trap kills sysemu with the signal a native fault raises", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-sigexit-"));
    const file = (name: string, code: number[]) => {
      const f = join(dir, name);
      writeFileSync(f, buildModule([], code));
      return f;
    };
    const unreachable = direct([...SYSEMU, file("unreachable.wasm", [0x00])]);
    expect([unreachable.status, unreachable.signal]).toEqual([null, "SIGILL"]);
    const oob = direct([...SYSEMU, file("oob.wasm", [0x41, ...sleb(-16n), 0x28, 0x02, 0x00, 0x1a])]);
    expect([oob.status, oob.signal]).toEqual([null, "SIGSEGV"]);
    rmSync(dir, { recursive: true });
  });

  it("glibc's own signals 32 and 33 are not the host's to raise: 128+N", () => {
    for (const sig of [32, 33]) {
      const r = direct([...SYSEMU, "samples/riscv64/killself", String(sig)]);
      expect([r.status, r.signal], `killself ${sig}`).toEqual([128 + sig, null]);
    }
  });
});

describe("--exit-status", () => {
  it("exits with 128+N instead of dying of N, whatever the signal", () => {
    for (const sig of [1, 9, 11, 15, 40]) {
      const r = direct([...SYSEMU, "--exit-status", "samples/riscv64/killself", String(sig)]);
      expect([r.status, r.signal, r.stdout], `killself ${sig}`).toEqual([128 + sig, null, `killing myself with signal ${sig}\n`]);
      expect(r.stderr).toMatch(/^sysemu: samples\/riscv64\/killself: terminated by SIG\w+\n$/);
    }
    // an exit is an exit either way
    expect(direct([...SYSEMU, "--exit-status", "samples/riscv64/exit42"]).status).toBe(42);
  });
});

describe("a core-dumping signal while ulimit -c is not 0", () => {
  it.runIf(coreAllowed)("makes sysemu exit 128+N (the core would be Node's), and leaves no core; other signals still kill it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-sigexit-core-"));
    const bin = (p: string) => join(process.cwd(), p);
    const cmd = (sig: number) => [process.execPath, bin("bin/sysemu"), "run", bin("samples/riscv64/killself"), String(sig)];
    for (const sig of [3, 6, 11]) {
      const r = direct(cmd(sig), "hard", dir);
      expect([r.status, r.signal], `killself ${sig}`).toEqual([128 + sig, null]);
    }
    const term = direct(cmd(15), "hard", dir);
    expect([term.status, term.signal]).toEqual([null, "SIGTERM"]);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});

describe("canDieOf: which signals sysemu dies of itself", () => {
  const noCore = () => 0, core = () => Infinity, unknown = () => null;
  it("the terminating ones, real-time ones included", () => {
    for (const sig of [1, 2, 9, 10, 12, 13, 14, 15, 16, 26, 27, 29, 30, 34, 40, 64]) expect(canDieOf(sig, core), `${sig}`).toBe(process.platform === "linux");
  });
  it("core-dumping ones only when RLIMIT_CORE is 0", () => {
    for (const sig of [3, 4, 5, 6, 7, 8, 11, 24, 25, 31]) {
      expect(canDieOf(sig, noCore), `${sig}`).toBe(process.platform === "linux");
      expect(canDieOf(sig, core), `${sig}`).toBe(false);
      expect(canDieOf(sig, unknown), `${sig}`).toBe(false);
    }
  });
  it("never glibc's 32 and 33, those whose default is to ignore or stop, or numbers past SIGRTMAX", () => {
    for (const sig of [0, 17, 18, 19, 20, 21, 22, 23, 28, 32, 33, 65]) expect(canDieOf(sig, noCore), `${sig}`).toBe(false);
  });
});
