// syslog(2) (glibc's klogctl): reading and clearing the kernel log (kernel/printk/printk.c
// do_syslog). dmesg_restrict is 0 here, so every user may read, as on many distributions.

import { formatSyslog, LOG_BUF_LEN } from "../src/kernel/printk.ts";
import { defineSyscall } from "./types.ts";

const SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2, SYSLOG_ACTION_READ_ALL = 3;
const SYSLOG_ACTION_READ_CLEAR = 4, SYSLOG_ACTION_CLEAR = 5, SYSLOG_ACTION_CONSOLE_OFF = 6;
const SYSLOG_ACTION_CONSOLE_ON = 7, SYSLOG_ACTION_CONSOLE_LEVEL = 8, SYSLOG_ACTION_SIZE_UNREAD = 9;
const SYSLOG_ACTION_SIZE_BUFFER = 10;

/** syslog(2) */
export const sys_syslog = defineSyscall({
  name: "syslog", args: ["int", "buf_out", "int"], support: "partial", note: "SYSLOG_ACTION_READ does not block",
  fn: (t, a, k) => {
    const [type, buf, len] = [a.int(0), a.ptr(1), a.int(2)];
    const log = t.kernel.printk;
    switch (type) {
      case SYSLOG_ACTION_CLOSE: case SYSLOG_ACTION_OPEN: case SYSLOG_ACTION_CONSOLE_OFF: case SYSLOG_ACTION_CONSOLE_ON:
        return 0;
      case SYSLOG_ACTION_CONSOLE_LEVEL:
        return len < 1 || len > 8 ? -k.errno.EINVAL : 0;
      case SYSLOG_ACTION_SIZE_BUFFER:
        return LOG_BUF_LEN;
      case SYSLOG_ACTION_SIZE_UNREAD:
        return byteLength(log.sinceClear().map(formatSyslog).join(""));
      case SYSLOG_ACTION_CLEAR:
        log.clear();
        return 0;
      case SYSLOG_ACTION_READ: case SYSLOG_ACTION_READ_ALL: case SYSLOG_ACTION_READ_CLEAR: {
        if (len < 0 || (buf === 0 && len > 0)) return -k.errno.EINVAL;
        if (len === 0) return 0;
        // READ_ALL returns the newest whole records that fit in len bytes
        const recs = log.sinceClear().map((r) => new TextEncoder().encode(formatSyslog(r)));
        let start = recs.length, total = 0;
        while (start > 0 && total + recs[start - 1]!.length <= len) total += recs[--start]!.length;
        const out = new Uint8Array(total);
        let off = 0;
        for (const r of recs.slice(start)) {
          out.set(r, off);
          off += r.length;
        }
        if (k.copy_to_user(t.mm, buf, out)) return -k.errno.EFAULT;
        if (type !== SYSLOG_ACTION_READ_ALL) log.clear();
        return total;
      }
      default:
        return -k.errno.EINVAL;
    }
  },
});

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}
