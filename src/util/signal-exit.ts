// How `sysemu run` ends when its guest was killed by a signal: sysemu dies of the same signal, as
// qemu-user does, so that a shell prints "Segmentation fault" and a parent's waitpid sees
// WIFSIGNALED, exactly as for the program run natively. Where dying would differ from the
// native end or is impossible, sysemu exits with 128+N instead (what a shell's $? shows):
// - a core-dumping signal while RLIMIT_CORE is not 0: the core would be Node's, not the guest's;
// - a number the host C library keeps for itself (32, 33: glibc's thread cancellation and setxid)
//   or whose default action is not to terminate (a guest never dies of SIGCHLD or SIGSTOP);
// - a host that is not Linux, whose signal numbers are not the guest's.
// In-process callers (the grader, the fuzzer) never come here: they get 128+N as a number.

import { readFileSync } from "node:fs";
import { constants } from "node:os";

/** Signals whose default action dumps core (signal(7): "Core"). */
const CORE_SIGNALS = new Set([3, 4, 5, 6, 7, 8, 11, 24, 25, 31]);
/** Default action ignore or stop: nothing to die of. */
const NOT_FATAL = new Set([17, 18, 19, 20, 21, 22, 23, 28]);
/** Linux's real-time range past the two numbers glibc reserves (SIGRTMIN is 34 for programs). */
const RT_FIRST = 34, RT_LAST = 64;

/** The host name of `sig` (Node's listeners are keyed by name), or null for a real-time one. */
function hostName(sig: number): NodeJS.Signals | null {
  for (const [name, n] of Object.entries(constants.signals)) if (n === sig) return name as NodeJS.Signals;
  return null;
}

/** Whether this process can die of `sig` as the guest did (the rules above). */
export function canDieOf(sig: number, coreLimit: () => number | null = softCoreLimit): boolean {
  if (process.platform !== "linux" || NOT_FATAL.has(sig)) return false;
  if (hostName(sig) === null && !(sig >= RT_FIRST && sig <= RT_LAST)) return false;
  return !CORE_SIGNALS.has(sig) || coreLimit() === 0;
}

/** The soft RLIMIT_CORE in bytes (Infinity: unlimited), or null when it cannot be read. */
export function softCoreLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "latin1").split("\n").find((l) => l.startsWith("Max core file size"));
    const soft = line?.slice("Max core file size".length).trim().split(/\s+/)[0];
    if (soft === "unlimited") return Infinity;
    return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/**
 * Ends this process as the guest ended, killed by `sig`: its output flushed, then killed by `sig`
 * itself, or exit(128 + sig) where that is not possible or not wanted (the rules above).
 */
export async function dieOfSignal(sig: number): Promise<never> {
  const status = 128 + sig;
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  // sysemu's own at-exit work (bin/sysemu writes its code cache there) must not be skipped
  process.exitCode = status;
  process.emit("exit", status);
  process.removeAllListeners("exit");
  if (canDieOf(sig)) {
    const name = hostName(sig);
    if (name !== null && sig !== 9) {
      // Node catches some signals for itself (SIGUSR1 starts the inspector) and ignores others
      // (SIGPIPE, SIGXFSZ); libuv puts back the default action when a signal's last listener
      // goes, so a listener added and removed leaves SIG_DFL whatever was there before.
      process.removeAllListeners(name);
      const nop = () => {};
      try {
        process.on(name, nop);
      } catch {
        // one libuv cannot watch keeps what it had
      }
      process.removeListener(name, nop);
    }
    // A signal sent to oneself is delivered before kill() returns; a handler the C library or
    // V8 installed may swallow the first one after putting the default back, hence a second.
    for (let i = 0; i < 2; i++) process.kill(process.pid, sig);
  }
  process.exit(status);
}

/** Resolves when what `s` has queued is written (or can never be). */
function drain(s: NodeJS.WriteStream): Promise<void> {
  if (s.writableLength === 0 || s.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    s.once("drain", resolve);
    s.once("close", resolve);
    s.once("error", resolve);
  });
}
