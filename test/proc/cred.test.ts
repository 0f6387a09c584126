import { describe, expect, it } from "vitest";
import * as C from "../../src/kernel/proc/cred.ts";
import { EINVAL, EPERM } from "../../src/kernel/errno.ts";
import { execCreds } from "../../src/kernel/proc/exec.ts";
import { CAP_FULL, credFor, type Cred } from "../../src/kernel/proc/task.ts";

const X = C.NO_CHANGE;

function ids(c: Cred | number): string | number {
  return typeof c === "number" ? c : `${c.uid}/${c.euid}/${c.suid}/${c.fsuid}`;
}

/** (1001, 0, 0): a set-user-ID-root program started by user 1001, as exec makes it. */
function setuidRoot(): Cred {
  return execCreds(credFor(1001, 1001), { mode: 0o104755, uid: 0, gid: 0 }).cred;
}

describe("credential rules", () => {
  it("exec of a set-user-ID file: effective and saved ids become the owner's, AT_SECURE", () => {
    const { cred, secure } = execCreds(credFor(1001, 100), { mode: 0o106755, uid: 0, gid: 50 });
    expect([ids(cred), cred.gid, cred.egid, cred.sgid, secure]).toEqual(["1001/0/0/0", 100, 50, 50, true]);
    expect(cred.capEffective).toBe(CAP_FULL);
    const plain = execCreds(credFor(1001, 100), { mode: 0o100755, uid: 0, gid: 0 });
    expect([ids(plain.cred), plain.secure, plain.cred.capPermitted]).toEqual(["1001/1001/1001/1001", false, 0n]);
    // set-group-ID without group execute is mandatory locking, not set-group-ID
    expect(execCreds(credFor(1, 1), { mode: 0o102744, uid: 0, gid: 7 }).cred.egid).toBe(1);
  });

  it("the slide's table: drop with seteuid, regain from the saved id, setuid drops for good", () => {
    let c = setuidRoot();
    c = C.setresuid(c, X, 1001, X) as Cred; // seteuid(1001)
    expect(ids(c)).toBe("1001/1001/0/1001");
    expect(c.capEffective).toBe(0n);
    expect(c.capPermitted).toBe(CAP_FULL); // saved uid 0 keeps them permitted
    c = C.setresuid(c, X, 0, X) as Cred; // seteuid(0): allowed, the saved id is 0
    expect(ids(c)).toBe("1001/0/0/0");
    expect(c.capEffective).toBe(CAP_FULL);
    c = C.setuid(c, 1001) as Cred; // privileged setuid: all three
    expect(ids(c)).toBe("1001/1001/1001/1001");
    expect(c.capPermitted).toBe(0n);
    expect(C.setresuid(c, X, 0, X)).toBe(-EPERM);
    expect(C.setuid(c, 0)).toBe(-EPERM);
  });

  it("unprivileged setuid only sets the effective id to the real or saved one", () => {
    const c: Cred = { ...credFor(1000, 1000), suid: 2000 };
    expect(ids(C.setuid(c, 2000))).toBe("1000/2000/2000/2000");
    expect(C.setuid(c, 3000)).toBe(-EPERM);
    expect(C.setuid(c, X)).toBe(-EINVAL);
  });

  it("setreuid: the saved id follows when the real id is set or euid leaves the real one", () => {
    const c: Cred = { ...credFor(1000, 1000), euid: 2000, suid: 2000, fsuid: 2000 };
    expect(ids(C.setreuid(c, 2000, 1000))).toBe("2000/1000/1000/1000"); // swap
    expect(ids(C.setreuid(c, X, 1000))).toBe("1000/1000/2000/1000"); // back to the real id: saved kept
    expect(C.setreuid(c, 3000, X)).toBe(-EPERM);
    expect(ids(C.setreuid(credFor(0, 0), 5, 6))).toBe("5/6/6/6");
  });

  it("setresuid: unprivileged ids must be among the current three; root sets anything", () => {
    const c: Cred = { ...credFor(1, 1), euid: 2, suid: 3 };
    expect(ids(C.setresuid(c, 3, 1, 2))).toBe("3/1/2/1");
    expect(C.setresuid(c, 4, X, X)).toBe(-EPERM);
    expect(ids(C.setresuid(credFor(0, 0), 7, 8, 9))).toBe("7/8/9/8");
  });

  it("setfsuid changes only what is allowed and drops filesystem capabilities away from 0", () => {
    const root = credFor(0, 0);
    const c = C.setfsuid(root, 1000);
    expect(c.fsuid).toBe(1000);
    expect(c.capEffective & 1n).toBe(0n); // CAP_CHOWN gone
    expect(c.capEffective & (1n << 7n)).toBe(1n << 7n); // CAP_SETUID stays
    expect(C.setfsuid(c, 0).capEffective).toBe(CAP_FULL);
    expect(C.setfsuid(credFor(5, 5), 6).fsuid).toBe(5);
  });

  it("gid twins, and setgroups: CAP_SETGID, sorted", () => {
    expect(C.setgid(credFor(5, 5), 6)).toBe(-EPERM);
    const g = C.setresgid(credFor(0, 0), 1, 2, 3) as Cred;
    expect([g.gid, g.egid, g.sgid, g.fsgid]).toEqual([1, 2, 3, 2]);
    expect((C.setgroups(credFor(0, 0), [27, 4, 100]) as Cred).groups).toEqual([4, 27, 100]);
    expect(C.setgroups(credFor(1000, 1000), [])).toBe(-EPERM);
  });

  it("PR_SET_KEEPCAPS keeps the permitted set when uid 0 is given up", () => {
    const c = C.setresuid({ ...credFor(0, 0), keepCaps: true }, 1000, 1000, 1000) as Cred;
    expect([c.capPermitted, c.capEffective]).toEqual([CAP_FULL, 0n]);
  });

  it("capset cannot grow a set", () => {
    const user = credFor(1000, 1000);
    expect(C.capset(user, 0n, 1n, 0n)).toBe(-EPERM);
    const root = credFor(0, 0);
    expect(C.capset(root, 2n, 1n, 0n)).toBe(-EPERM); // effective beyond permitted
    expect((C.capset(root, 1n, 3n, 0n) as Cred).capPermitted).toBe(3n);
  });
});
