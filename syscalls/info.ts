// System information calls: uname, sysinfo, getrandom.

import { freemem, hostname, totalmem } from "node:os";
import { EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { copy_to_user } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";
import { UTS_RELEASE, UTS_VERSION } from "../src/kernel/utsname.ts";

/** uname(2) */
export const sys_uname = defineSyscall({
  name: "uname", args: ["utsname_out"],
  fn: (t, a) => {
    const fields = ["Linux", hostname(), UTS_RELEASE, UTS_VERSION, t.abi.machine, "(none)"];
    return copy_to_user(t.mm, a.ptr(0), t.abi.encodeUtsname(fields)) ? -EFAULT : 0;
  },
});

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
const MAX_GETRANDOM = 0x1ffffff;

/** getrandom(2): from the kernel's random source (reproducible under --seed). */
export const sys_getrandom = defineSyscall({
  name: "getrandom", args: ["buf_out", "size", "grnd_flags"],
  fn: (t, a) => {
    const flags = a.uint(2);
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) || (flags & GRND_RANDOM && flags & GRND_INSECURE)) return -EINVAL;
    const n = Math.min(a.size(1), MAX_GETRANDOM);
    const bytes = t.kernel.random.bytes(n);
    const missing = copy_to_user(t.mm, a.ptr(0), bytes);
    return missing === n && n > 0 ? -EFAULT : n - missing;
  },
});

/** sysinfo(2): uptime from the emulated clock, memory figures of the host. */
export const sys_sysinfo = defineSyscall({
  name: "sysinfo", args: ["ptr"],
  fn: (t, a) => {
    const b = new Uint8Array(112);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, t.kernel.clock.uptimeNs() / 1_000_000_000n, true);
    v.setBigUint64(32, BigInt(totalmem()), true);
    v.setBigUint64(40, BigInt(freemem()), true);
    v.setUint16(80, t.kernel.tasks.size, true);
    v.setUint32(104, 1, true);
    return copy_to_user(t.mm, a.ptr(0), b) ? -EFAULT : 0;
  },
});
