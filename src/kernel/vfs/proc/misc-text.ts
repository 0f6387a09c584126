// The text of /proc's system-wide files: cpuinfo (from the task's Abi), uptime, version,
// meminfo and mounts, in the formats the kernel prints.

import { freemem, totalmem } from "node:os";
import { UTS_RELEASE, UTS_VERSION } from "../../utsname.ts";
import type { Task } from "../../proc/task.ts";

/** /proc/cpuinfo: the machine's own format (the task's Abi). */
export function cpuinfoText(t: Task): string {
  return t.abi.cpuinfo();
}

/** /proc/uptime: seconds since boot and idle seconds, with centiseconds. */
export function uptimeText(t: Task): string {
  const cs = t.kernel.clock.uptimeNs() / 10_000_000n;
  const fmt = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, "0")}`;
  return `${fmt(cs)} ${fmt(0n)}\n`;
}

/** /proc/version: `Linux version RELEASE (builder) (compiler) VERSION`. */
export function versionText(): string {
  return `Linux version ${UTS_RELEASE} (sysemu@sysemu) (sysemu, a TypeScript kernel) ${UTS_VERSION}\n`;
}

/** /proc/meminfo: the host's memory figures, in the kernel's "Label:   N kB" columns. */
export function meminfoText(): string {
  const kb = (bytes: number) => Math.floor(bytes / 1024);
  const total = kb(totalmem()), free = kb(freemem());
  const rows: [string, number][] = [
    ["MemTotal", total], ["MemFree", free], ["MemAvailable", free], ["Buffers", 0], ["Cached", 0],
    ["SwapCached", 0], ["Active", 0], ["Inactive", 0], ["SwapTotal", 0], ["SwapFree", 0],
    ["Dirty", 0], ["Writeback", 0], ["AnonPages", 0], ["Mapped", 0], ["Shmem", 0],
  ];
  return rows.map(([k, v]) => `${(k + ":").padEnd(16)}${String(v).padStart(8)} kB\n`).join("");
}

/** Escapes a field of /proc/mounts as the kernel's mangle() does (space, tab, newline, \). */
function mangle(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => "\\" + c.charCodeAt(0).toString(8).padStart(3, "0"));
}

/** /proc/<pid>/mounts: `source mountpoint type options 0 0` per mount. */
export function mountsText(t: Task): string {
  return t.kernel.vfs.all
    .map((m) => `${mangle(m.source)} ${mangle(m.path)} ${m.sb.type} ${m.options} 0 0\n`)
    .join("");
}

/** major:minor of a device number in glibc's 64-bit encoding (gnu_dev_major, gnu_dev_minor). */
function majMin(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/** /proc/<pid>/mountinfo (show_mountinfo): ids, device, root, mount point, options, propagation, type, source, super options. */
export function mountinfoText(t: Task): string {
  return t.kernel.vfs.all
    .map((m) => {
      const st = m.root.getattr();
      const dev = m.sb.dev !== 0n || typeof st === "number" ? m.sb.dev : st.dev;
      // a shared mount can be a slave too (of the group it was copied from)
      const shared = m.propagation === "shared" ? ` shared:${m.group}` : "";
      const master = (m.propagation === "shared" || m.propagation === "slave") && m.master ? ` master:${m.master}` : "";
      const tags = shared + master + (m.propagation === "unbindable" ? " unbindable" : "");
      return `${m.id} ${m.parentId} ${majMin(dev)} ${mangle(m.rootPath)} ${mangle(m.path)} ${m.mntOptions}${tags} - ${m.sb.type} ${mangle(m.source)} ${m.superOptions}\n`;
    })
    .join("");
}
