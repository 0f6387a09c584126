// /proc/sys (kernel/sysctl.c): the tunables programs read, with the values this kernel has.
// Read-only here: writing a sysctl needs CAP_SYS_ADMIN on Linux and changes nothing in sysemu.

import { hostname } from "node:os";
import { UTS_RELEASE, UTS_VERSION } from "../../utsname.ts";
import type { Task } from "../../proc/task.ts";

/** A 128-bit random id in the kernel's text form (random/uuid, random/boot_id). */
function uuid(t: Task): string {
  const b = new Uint8Array(16);
  t.kernel.random.fill(b);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Path below /proc/sys → its text (one value and a newline, as the kernel prints them). */
export const SYSCTLS: Record<string, (t: Task) => string> = {
  "kernel/hostname": () => `${hostname()}\n`,
  "kernel/ostype": () => "Linux\n",
  "kernel/osrelease": () => `${UTS_RELEASE}\n`,
  "kernel/version": () => `${UTS_VERSION}\n`,
  "kernel/pid_max": () => "4194304\n",
  "kernel/threads-max": () => "126918\n",
  "kernel/ngroups_max": () => "65536\n",
  "kernel/random/boot_id": (t) => {
    return `${(t.kernel.bootId ??= uuid(t))}\n`;
  },
  "kernel/random/uuid": (t) => `${uuid(t)}\n`,
  "vm/overcommit_memory": () => "0\n",
  "fs/file-max": () => "9223372036854775807\n",
  "fs/nr_open": () => "1048576\n",
  "fs/pipe-max-size": () => "1048576\n",
};
