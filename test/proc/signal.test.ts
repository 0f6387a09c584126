import { describe, expect, it } from "vitest";
import { parseShebang } from "../../src/kernel/proc/exec.ts";
import { encodeSiginfo } from "../../src/kernel/signal/siginfo.ts";
import { CLD_EXITED, nextSignal, SIGALRM, sigbit, SIGCHLD, SIGHUP, SIGINT, SigPending, SIGRTMIN, SIGSEGV, SI_TKILL } from "../../src/kernel/signal/signal.ts";
import { siginfoText, waitStatus } from "../../src/kernel/strace/kinds-proc.ts";

describe("pending signals", () => {
  it("queue a standard signal once and real-time signals every time", () => {
    const p = new SigPending();
    p.add({ signo: SIGHUP, code: 0 });
    p.add({ signo: SIGHUP, code: 0 });
    p.add({ signo: SIGRTMIN, code: -1, value: 1n });
    p.add({ signo: SIGRTMIN, code: -1, value: 2n });
    expect(p.queue.length).toBe(3);
    expect(p.take(SIGRTMIN)!.value).toBe(1n);
    expect(p.signal & sigbit(SIGRTMIN)).not.toBe(0n);
    expect(p.take(SIGRTMIN)!.value).toBe(2n);
    expect(p.signal).toBe(sigbit(SIGHUP));
  });

  it("are taken lowest first, the synchronous fault signals before any other", () => {
    expect(nextSignal(sigbit(SIGINT) | sigbit(SIGALRM))).toBe(SIGINT);
    expect(nextSignal(sigbit(SIGINT) | sigbit(SIGSEGV))).toBe(SIGSEGV);
    expect(nextSignal(0n)).toBe(0);
  });
});

describe("siginfo_t", () => {
  it("lays out kill, sigchld and fault members as 64-bit Linux does", () => {
    const kill = new DataView(encodeSiginfo({ signo: SIGHUP, code: SI_TKILL, pid: 1000, uid: 1001 }).buffer);
    expect([kill.getInt32(0, true), kill.getInt32(8, true), kill.getInt32(16, true), kill.getUint32(20, true)]).toEqual([SIGHUP, SI_TKILL, 1000, 1001]);
    const chld = new DataView(encodeSiginfo({ signo: SIGCHLD, code: CLD_EXITED, pid: 7, uid: 0, status: 3, utime: 5n, stime: 6n }).buffer);
    expect([chld.getInt32(24, true), chld.getBigInt64(32, true), chld.getBigInt64(40, true)]).toEqual([3, 5n, 6n]);
    const fault = new DataView(encodeSiginfo({ signo: SIGSEGV, code: 1, addr: 0xdead000n }).buffer);
    expect(fault.getBigUint64(16, true)).toBe(0xdead000n);
  });

  it("prints as strace prints it", () => {
    expect(siginfoText({ signo: SIGHUP, code: SI_TKILL, pid: 1000, uid: 0 })).toBe("{si_signo=SIGHUP, si_code=SI_TKILL, si_pid=1000, si_uid=0}");
    expect(siginfoText({ signo: SIGSEGV, code: 1, addr: 0n })).toBe("{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}");
    expect(siginfoText({ signo: SIGALRM, code: 0x80 })).toBe("{si_signo=SIGALRM, si_code=SI_KERNEL}");
    expect(siginfoText({ signo: SIGCHLD, code: CLD_EXITED, pid: 9, uid: 0, status: 3 })).toBe("{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9, si_uid=0, si_status=3, si_utime=0, si_stime=0}");
  });

  it("wait statuses print as strace's macros", () => {
    expect(waitStatus(123 << 8)).toBe("{WIFEXITED(s) && WEXITSTATUS(s) == 123}");
    expect(waitStatus(9)).toBe("{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}");
    expect(waitStatus((19 << 8) | 0x7f)).toBe("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}");
    expect(waitStatus(0xffff)).toBe("{WIFCONTINUED(s)}");
  });
});

describe("#! scripts (binfmt_script)", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it("take the interpreter and one optional argument, spaces inside it kept", () => {
    expect(parseShebang(enc("#!/bin/sh\necho"))).toEqual({ interp: "/bin/sh", arg: null });
    expect(parseShebang(enc("#! /usr/bin/env  python3 -u  \n"))).toEqual({ interp: "/usr/bin/env", arg: "python3 -u" });
    expect(parseShebang(enc("#!/x\t-a b"))).toEqual({ interp: "/x", arg: "-a b" });
    expect(parseShebang(enc("\x7fELF"))).toBeNull();
  });

  it("refuse an empty line (ENOEXEC)", () => {
    expect(parseShebang(enc("#!   \n"))).toBe(-8);
  });
});
