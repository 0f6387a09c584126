// `--ptree`: the process tree as `ps -ejH` shows it, children indented under their parent,
// with the parent pid and the state letter /proc/<pid>/stat would give.

import type { Kernel } from "../kernel.ts";
import type { Task, ThreadGroup } from "./task.ts";

/** The state letter of a process (its leader's, or Z/R for the whole group). */
export function stateLetter(t: Task): string {
  if (t.group.life !== "alive") return "Z";
  const live = t.group.liveThreads();
  if (live.some((x) => x.state === "running")) return "R";
  if (live.some((x) => x.state === "stopped")) return "T";
  return "S";
}

/** "pts/3", "tty1", or "?" for a tty_nr. */
export function ttyName(nr: number): string {
  if (nr === 0) return "?";
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return `tty${minor}`;
  if (major === 5 && minor === 1) return "console";
  return `${major}:${minor}`;
}

/** The tree, one process a line, header first. */
export function formatPtree(k: Kernel): string {
  const lines = [`${"PID".padStart(7)} ${"PPID".padStart(7)} ${"PGID".padStart(7)} ${"SID".padStart(7)} TTY      STAT CMD`];
  const walk = (g: ThreadGroup, depth: number): void => {
    const t = g.leader;
    const cmd = "  ".repeat(depth) + (g.life === "alive" ? t.comm : `${t.comm} <defunct>`);
    lines.push(`${String(g.pid).padStart(7)} ${String(t.ppid).padStart(7)} ${String(g.pgid).padStart(7)} ${String(g.sid).padStart(7)} ${ttyName(g.ttyNr).padEnd(8)} ${stateLetter(t).padEnd(4)} ${cmd}`);
    for (const c of [...g.children].sort((a, b) => a.pid - b.pid)) walk(c, depth + 1);
  };
  walk(k.init.group, 0);
  return lines.join("\n") + "\n";
}
