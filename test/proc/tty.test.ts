import { describe, expect, it } from "vitest";
import { ENOTTY, EPERM } from "../../src/kernel/errno.ts";
import { doClone } from "../../src/kernel/proc/fork.ts";
import { formatPtree, ttyName } from "../../src/kernel/proc/ptree.ts";
import { SIGCHLD } from "../../src/kernel/signal/signal.ts";
import { attachTty, encodeTtyNr, TIOCGPGRP, TIOCSCTTY, TIOCSPGRP, ttyJobIoctl, ttyNrFromHostRdev } from "../../src/kernel/fs/tty.ts";
import { get_user_u32, put_user_u32 } from "../../src/mm/uaccess.ts";
import { DATA, testKernel, testTask } from "./harness.ts";

describe("controlling terminals", () => {
  it("encode tty_nr as /proc/pid/stat does and name it as ps does", () => {
    const pts3 = encodeTtyNr(136, 3);
    expect(pts3).toBe(0x8803);
    expect(ttyNrFromHostRdev(0x8803)).toBe(pts3);
    expect([ttyName(pts3), ttyName(encodeTtyNr(4, 1)), ttyName(0)]).toEqual(["pts/3", "tty1", "?"]);
  });

  it("belong to a session: its processes share it, and new sessions start without one", () => {
    const k = testKernel();
    const t = testTask(k);
    attachTty(t.group, encodeTtyNr(136, 0));
    const cid = doClone(t, { flags: 0n, exitSignal: SIGCHLD, stack: 0n, tls: 0n, parentTid: 0, childTid: 0 });
    const c = k.tasks.get(cid)!;
    expect(c.ttyNr).toBe(t.ttyNr);
    expect(ttyJobIoctl(c, t.ttyNr, TIOCGPGRP, DATA)).toBe(0);
    expect(get_user_u32(c.mm, DATA)).toBe(t.pgid);
    // a session leader without a terminal may take one nobody controls; others may not
    c.group.sid = c.group.pgid = c.tid;
    c.group.ttyNr = 0;
    expect(ttyJobIoctl(c, t.ttyNr, TIOCGPGRP, DATA)).toBe(-ENOTTY);
    expect(ttyJobIoctl(c, t.ttyNr, TIOCSCTTY, 0)).toBe(-EPERM);
    expect(ttyJobIoctl(c, encodeTtyNr(136, 9), TIOCSCTTY, 0)).toBe(0);
    expect(c.ttyNr).toBe(encodeTtyNr(136, 9));
  });

  it("TIOCSPGRP moves the foreground to a group of the same session", () => {
    const k = testKernel();
    const t = testTask(k);
    const nr = encodeTtyNr(4, 1);
    attachTty(t.group, nr);
    put_user_u32(t.mm, DATA, 99999);
    expect(ttyJobIoctl(t, nr, TIOCSPGRP, DATA)).toBeLessThan(0);
    put_user_u32(t.mm, DATA, t.pgid);
    expect(ttyJobIoctl(t, nr, TIOCSPGRP, DATA)).toBe(0);
    expect(ttyJobIoctl(t, nr, 0x5401 /* TCGETS */, DATA)).toBeNull();
  });

  it("--ptree shows init and its children, indented like ps -ejH", () => {
    const k = testKernel();
    const t = testTask(k);
    t.comm = "prog";
    const lines = formatPtree(k).split("\n");
    expect(lines[0]).toMatch(/^\s+PID\s+PPID\s+PGID\s+SID TTY\s+STAT CMD$/);
    expect(lines[1]).toMatch(/^\s+1\s+0\s+1\s+1 \?\s+S\s+init$/);
    // the first program: its own group in init's session (init plays the shell that started it)
    expect(lines[2]).toMatch(new RegExp(`^\\s+${t.tid}\\s+1\\s+${t.tid}\\s+1 \\?\\s+R\\s+  prog$`));
  });
});
