// wasi:cli (environment, exit, stdin/stdout/stderr, terminal-*), wasi:clocks and wasi:random
// for a component, on the kernel: stdio streams are the task's descriptors 0-2, clocks are
// clock_gettime, randomness is getrandom (reproducible under --seed), and exit is exit_group.

import { GuestExit } from "../guest.ts";
import { exitGuest } from "../wait.ts";
import { check } from "./errors.ts";
import { Descriptor } from "./filesystem.ts";
import { hostCall, qs, type P2 } from "./host.ts";
import { clockNs, InputStream, monotonicNow, OutputStream, Pollable } from "./streams.ts";

const TCGETS = 0x5401;
const NS = 1_000_000_000n;

/** wasi:cli/terminal-input and terminal-output: a terminal, with nothing to ask of it yet. */
export class TerminalInput {}
export class TerminalOutput {}

function isTerminal(x: P2, fd: number): boolean {
  const f = x.g.t.files.get(fd);
  return !!f?.ops.ioctl && f.ops.ioctl(f, x.g.t, TCGETS, x.g.k.alloc(64)) === 0;
}

function exitWith(x: P2, code: number): never {
  exitGuest(x.g.t, code);
  throw new GuestExit();
}

function randomBytes(x: P2, len: bigint): Uint8Array {
  const k = x.g.k;
  const n = Number(len > 1n << 24n ? 1n << 24n : len);
  const buf = k.alloc(n);
  for (let done = 0; done < n; ) done += check(k.sys("getrandom", buf + done, n - done, 0));
  return k.view(buf, n).slice();
}

function randomU64(x: P2): bigint {
  return new DataView(randomBytes(x, 8n).buffer).getBigUint64(0, true);
}

/** The wasi:cli, wasi:clocks and wasi:random members of the import object. */
export function cliImports(x: P2, preopens: readonly [number, string][]): Record<string, Record<string, unknown>> {
  const env = x.env.map((kv) => {
    const eq = kv.indexOf("=");
    return [kv.slice(0, eq), kv.slice(eq + 1)] as [string, string];
  });
  const terminal = <T>(name: string, fd: number, make: () => T) =>
    hostCall(x, name, "", () => (isTerminal(x, fd) ? make() : undefined), (t) => (t ? "some" : "none"));
  return {
    "wasi:cli/environment": {
      getEnvironment: () => hostCall(x, "environment.get-environment", "", () => env, (e) => `[${e.length} vars]`),
      getArguments: () => hostCall(x, "environment.get-arguments", "", () => [...x.argv], (a) => `[${a.map((s) => qs(s, 32)).join(", ")}]`),
      initialCwd: () => hostCall(x, "environment.initial-cwd", "", () => undefined, () => "none"),
    },
    "wasi:cli/exit": {
      exit: (status: { tag: string }) => hostCall(x, "exit.exit", status?.tag ?? "?", () => exitWith(x, status?.tag === "ok" ? 0 : 1)),
      exitWithCode: (code: number) => hostCall(x, "exit.exit-with-code", String(code), () => exitWith(x, code & 0xff)),
    },
    "wasi:cli/stdin": { getStdin: () => new InputStream(x, 0) },
    "wasi:cli/stdout": { getStdout: () => new OutputStream(x, 1) },
    "wasi:cli/stderr": { getStderr: () => new OutputStream(x, 2) },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => terminal("terminal-stdin.get-terminal-stdin", 0, () => new TerminalInput()) },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => terminal("terminal-stdout.get-terminal-stdout", 1, () => new TerminalOutput()) },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => terminal("terminal-stderr.get-terminal-stderr", 2, () => new TerminalOutput()) },
    "wasi:clocks/monotonic-clock": {
      now: () => hostCall(x, "monotonic-clock.now", "", () => monotonicNow(x), String),
      resolution: () => hostCall(x, "monotonic-clock.resolution", "", () => clockNs(x, 1, "clock_getres"), String),
      subscribeInstant: (when: bigint) => hostCall(x, "monotonic-clock.subscribe-instant", String(when), () => new Pollable(x, when), () => "pollable"),
      subscribeDuration: (d: bigint) => hostCall(x, "monotonic-clock.subscribe-duration", String(d), () => new Pollable(x, monotonicNow(x) + d), () => "pollable"),
    },
    "wasi:clocks/wall-clock": {
      now: () => hostCall(x, "wall-clock.now", "", () => datetime(clockNs(x, 0)), (d) => `{seconds=${d.seconds}, nanoseconds=${d.nanoseconds}}`),
      resolution: () => hostCall(x, "wall-clock.resolution", "", () => datetime(clockNs(x, 0, "clock_getres")), (d) => `{seconds=${d.seconds}, nanoseconds=${d.nanoseconds}}`),
    },
    "wasi:random/random": {
      getRandomBytes: (len: bigint) => hostCall(x, "random.get-random-bytes", String(len), () => randomBytes(x, len), (b) => `[${b.length} bytes]`),
      getRandomU64: () => hostCall(x, "random.get-random-u64", "", () => randomU64(x), String),
    },
    "wasi:random/insecure": {
      getInsecureRandomBytes: (len: bigint) => hostCall(x, "insecure.get-insecure-random-bytes", String(len), () => randomBytes(x, len), (b) => `[${b.length} bytes]`),
      getInsecureRandomU64: () => hostCall(x, "insecure.get-insecure-random-u64", "", () => randomU64(x), String),
    },
    "wasi:random/insecure-seed": {
      insecureSeed: () => hostCall(x, "insecure-seed.insecure-seed", "", () => [randomU64(x), randomU64(x)] as [bigint, bigint], (s) => `(${s[0]}, ${s[1]})`),
    },
    "wasi:filesystem/preopens": {
      getDirectories: () =>
        hostCall(x, "preopens.get-directories", "", () => preopens.map(([fd, name]) => [new Descriptor(x, fd), name] as [Descriptor, string]),
          (d) => `[${d.map(([desc, n]) => `(${desc.fd}, ${qs(n)})`).join(", ")}]`),
    },
  };
}

function datetime(ns: bigint): { seconds: bigint; nanoseconds: number } {
  return { seconds: ns / NS, nanoseconds: Number(ns % NS) };
}
