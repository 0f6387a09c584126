// System V IPC end to end (the fixtures, compared with qemu-riscv64 where it is installed) and
// unit tests of the kernel objects without a CPU.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EACCES, EAGAIN, EEXIST, EFAULT, EINVAL, ENOENT } from "../../src/kernel/errno.ts";
import { kernelApi } from "../../src/kernel/api.ts";
import { doMsgrcv, doMsgsnd, findMsg, msgget, msgRmid, MSG_EXCEPT, type MsgQueue } from "../../src/kernel/ipc/msg.ts";
import { ipcNs } from "../../src/kernel/ipc/namespace.ts";
import { countSemcnt, exitSem, semget, semRmid, semtimedop, SEM_UNDO } from "../../src/kernel/ipc/sem.ts";
import { doShmat, shmdt, shmget, shmRmid, SHM_DEST, SHM_REMAP } from "../../src/kernel/ipc/shm.ts";
import { EIDRM, IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_PRIVATE, IpcIds, KernIpcPerm, ipcperms, IPCMNI } from "../../src/kernel/ipc/util.ts";
import { sysvipcSem } from "../../src/kernel/ipc/procfs.ts";
import { PARK } from "../../src/kernel/sysret.ts";
import { credFor } from "../../src/kernel/proc/task.ts";
import { sys_msgsnd } from "../../syscalls/ipc.ts";
import { SyscallArgs } from "../../syscalls/args.ts";
import { have, qemu, sysemu } from "../e2e/helpers.ts";
import { result, testKernel, testTask } from "../proc/harness.ts";

const FIX = "test/sysv/fixtures";

describe("System V IPC programs", () => {
  for (const [name, what] of [
    ["shmpc", "a producer and a consumer share a ring in shared memory, guarded by three semaphores, across fork"],
    ["shmerr", "shmget/shmat/shmdt/shmctl follow Linux's rules and /proc/self/maps shows the attach"],
    ["semerr", "semaphores: errors, SEM_UNDO at exit, GETNCNT, EINTR, EIDRM, a semtimedop timeout"],
    ["msgq", "a message-queue client and server; msgrcv's type selection; a sender blocked on a full queue; EIDRM"],
  ] as const) {
    it(`${name}: ${what}, as on Linux`, () => {
      const got = sysemu(["run", `${FIX}/${name}`]);
      expect(got.stderr).toBe("");
      expect(got.status).toBe(0);
      expect(got.stdout).toBe(readFileSync(`${FIX}/${name}.expected`, "utf8"));
      if (have("qemu-riscv64")) expect(got.stdout).toBe(qemu([`${FIX}/${name}`]).stdout);
    });
  }
});

describe("ipc ids and permissions", () => {
  it("hands out indexes cyclically: a removed id is not reused at once", () => {
    const ids = new IpcIds<{ perm: KernIpcPerm }>(10);
    const cred = credFor(1000, 1000);
    const a = { perm: new KernIpcPerm(IPC_PRIVATE, 0o600, cred) };
    const b = { perm: new KernIpcPerm(IPC_PRIVATE, 0o600, cred) };
    expect(ids.add(a)).toBe(0);
    ids.remove(a);
    expect(ids.add(b)).toBe(1);
    expect(ids.find(0)).toBeNull();
    expect(ids.find(1 + IPCMNI)).toBeNull(); // same index, another sequence number
    expect(ids.find(1)).toBe(b);
  });

  it("ipcperms: owner, group and other bits; the owner too is refused by mode 0; root passes", () => {
    const p = new KernIpcPerm(1, 0o640, credFor(1000, 100));
    expect(ipcperms(credFor(1000, 100), p, 0o600)).toBe(0);
    expect(ipcperms({ ...credFor(2000, 100) }, p, 0o400)).toBe(0);
    expect(ipcperms({ ...credFor(2000, 100) }, p, 0o200)).toBe(-EACCES);
    expect(ipcperms(credFor(3000, 300), p, 0o400)).toBe(-EACCES);
    expect(ipcperms(credFor(3000, 300), p, 0)).toBe(0);
    const none = new KernIpcPerm(1, 0, credFor(1000, 100));
    expect(ipcperms(credFor(1000, 100), none, 0o400)).toBe(-EACCES);
    expect(ipcperms(credFor(0, 0), none, 0o600)).toBe(0);
  });

  it("*get: ENOENT without IPC_CREAT, EEXIST with IPC_EXCL, EACCES by mode for another user", () => {
    const k = testKernel();
    const owner = testTask(k, 1000), other = testTask(k, 2000);
    expect(msgget(owner, 0x42, 0)).toBe(-ENOENT);
    const id = msgget(owner, 0x42, IPC_CREAT | 0o600);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(msgget(owner, 0x42, IPC_CREAT | IPC_EXCL)).toBe(-EEXIST);
    expect(msgget(owner, 0x42, 0o600)).toBe(id);
    expect(msgget(other, 0x42, 0)).toBe(id); // asking for nothing is allowed
    expect(msgget(other, 0x42, 0o400)).toBe(-EACCES);
    expect(shmget(other, 0x43, 4096, IPC_CREAT | 0o600)).toBeGreaterThanOrEqual(0);
    expect(shmget(owner, 0x43, 4096, 0o600)).toBe(-EACCES);
    expect(semget(owner, 0x44, 2, IPC_CREAT | 0o600)).toBeGreaterThanOrEqual(0);
    expect(semget(owner, 0x44, 3, 0)).toBe(-EINVAL);
  });
});

describe("shared memory segments", () => {
  it("two address spaces attach the same frames; fork shares them; nattch counts VMAs; exit detaches", () => {
    const k = testKernel();
    const a = testTask(k), b = testTask(k);
    const id = shmget(a, IPC_PRIVATE, 10000, IPC_CREAT | 0o600);
    const seg = ipcNs(k).shm.find(id)!;
    const pa = doShmat(a, id, 0, 0), pb = doShmat(b, id, 0, 0);
    expect(seg.nattch).toBe(2);
    a.mm.poke(pa + 8192, new Uint8Array([7, 8, 9]));
    expect([...b.mm.peek(pb + 8192, 3)]).toEqual([7, 8, 9]);
    const child = a.mm.fork()!;
    expect(seg.nattch).toBe(3);
    child.poke(pa, new Uint8Array([5]));
    expect(b.mm.peek(pb, 1)[0]).toBe(5);
    child.release();
    expect(seg.nattch).toBe(2);
    expect(doShmat(a, id, 0, SHM_REMAP)).toBe(-EINVAL); // SHM_REMAP needs an address
    expect(shmdt(a.mm, pa + 4096)).toBe(-EINVAL);
    expect(shmdt(a.mm, pa)).toBe(0);
    expect(shmdt(a.mm, pa)).toBe(-EINVAL);
    expect(seg.nattch).toBe(1);
  });

  it("IPC_RMID while attached sets SHM_DEST and forgets the key; the last detach destroys it and frees its pages", () => {
    const k = testKernel();
    const t = testTask(k);
    const id = shmget(t, 0x77, 4096, IPC_CREAT | 0o600);
    const ns = ipcNs(k);
    const seg = ns.shm.find(id)!;
    const addr = doShmat(t, id, 0, 0);
    t.mm.poke(addr, new Uint8Array([1]));
    expect(seg.rss).toBe(1);
    shmRmid(ns, seg);
    expect(seg.perm.mode & SHM_DEST).toBe(SHM_DEST);
    expect(shmget(t, 0x77, 4096, 0)).toBe(-ENOENT);
    expect(ns.shm.find(id)).toBe(seg);
    expect(shmdt(t.mm, addr)).toBe(0);
    expect(ns.shm.find(id)).toBeNull();
    expect(seg.rss).toBe(0);
    expect(doShmat(t, id, 0, 0)).toBe(-EINVAL);
  });

  it("a detached segment keeps its bytes until IPC_RMID", () => {
    const k = testKernel();
    const t = testTask(k);
    const id = shmget(t, IPC_PRIVATE, 100, IPC_CREAT | 0o600);
    let addr = doShmat(t, id, 0, 0);
    t.mm.poke(addr + 99, new Uint8Array([42]));
    shmdt(t.mm, addr);
    addr = doShmat(t, id, 0, 0);
    expect(t.mm.peek(addr + 99, 1)[0]).toBe(42);
  });
});

describe("semaphores", () => {
  it("a blocked semop parks, counts in GETNCNT, and runs again when another task changes the set", () => {
    const k = testKernel();
    const a = testTask(k), b = testTask(k);
    const id = semget(a, IPC_PRIVATE, 2, IPC_CREAT | 0o600);
    const sma = ipcNs(k).sem.find(id)!;
    expect(semtimedop(a, id, [{ num: 1, op: -1, flg: 0 }], null)).toBe(PARK);
    k.sched.commit(a, null);
    expect(countSemcnt(sma, 1, false)).toBe(1);
    expect(countSemcnt(sma, 0, false)).toBe(0);
    expect(semtimedop(b, id, [{ num: 0, op: -1, flg: IPC_NOWAIT }], null)).toBe(-EAGAIN);
    expect(semtimedop(b, id, [{ num: 1, op: 1, flg: 0 }], null)).toBe(0);
    expect(a.state).toBe("running"); // woken to try again
    expect(countSemcnt(sma, 1, false)).toBe(0);
    expect(semtimedop(a, id, [{ num: 1, op: -1, flg: 0 }], null)).toBe(0);
  });

  it("all or nothing: a failing second operation leaves the first undone", () => {
    const k = testKernel();
    const t = testTask(k);
    const id = semget(t, IPC_PRIVATE, 2, IPC_CREAT | 0o600);
    const sma = ipcNs(k).sem.find(id)!;
    expect(semtimedop(t, id, [{ num: 0, op: 3, flg: 0 }, { num: 1, op: -1, flg: IPC_NOWAIT }], null)).toBe(-EAGAIN);
    expect(sma.sems[0]!.semval).toBe(0);
  });

  it("IPC_RMID wakes a sleeper with EIDRM", () => {
    const k = testKernel();
    const a = testTask(k);
    const id = semget(a, IPC_PRIVATE, 1, IPC_CREAT | 0o600);
    expect(semtimedop(a, id, [{ num: 0, op: -1, flg: 0 }], null)).toBe(PARK);
    k.sched.commit(a, null);
    semRmid(ipcNs(k), ipcNs(k).sem.find(id)!);
    expect(result(a)).toBe(-EIDRM);
  });

  it("SEM_UNDO adjustments are applied at exit and clamped at zero", () => {
    const k = testKernel();
    const t = testTask(k), other = testTask(k);
    const id = semget(t, IPC_PRIVATE, 2, IPC_CREAT | 0o600);
    const sma = ipcNs(k).sem.find(id)!;
    expect(semtimedop(t, id, [{ num: 0, op: 5, flg: SEM_UNDO }, { num: 1, op: 2, flg: SEM_UNDO }], null)).toBe(0);
    expect(semtimedop(other, id, [{ num: 0, op: -4, flg: 0 }], null)).toBe(0);
    exitSem(t.group);
    expect(sma.sems.map((s) => s.semval)).toEqual([0, 0]);
    expect(sma.sems[0]!.sempid).toBe(t.tgid);
    expect(sysvipcSem(t)).toMatch(/^\s+0\s+\d+\s+600\s+2 /m);
  });
});

describe("message queues", () => {
  const msg = (type: number, s: string) => ({ type: BigInt(type), text: new TextEncoder().encode(s) });

  it("find_msg: first of a type, the lowest type up to |msgtyp|, and MSG_EXCEPT", () => {
    const k = testKernel();
    const t = testTask(k);
    const id = msgget(t, IPC_PRIVATE, 0o600);
    for (const [ty, s] of [[5, "a"], [3, "b"], [7, "c"], [3, "d"]] as const) expect(doMsgsnd(t, id, msg(ty, s), 0)).toBe(0);
    const q = ipcNs(k).msg.find(id)! as MsgQueue;
    expect(findMsg(q, 3n, 0)).toBe(1);
    expect(findMsg(q, -6n, 0)).toBe(1);
    expect(findMsg(q, 5n, MSG_EXCEPT)).toBe(1);
    expect(findMsg(q, 4n, 0)).toBe(-1);
  });

  it("a receiver parks until a message comes; a full queue parks the sender; IPC_RMID wakes with EIDRM", () => {
    const k = testKernel();
    const r = testTask(k), s = testTask(k);
    const id = msgget(r, IPC_PRIVATE, 0o600);
    expect(doMsgrcv(r, id, 100, 0n, 0)).toBe(PARK);
    k.sched.commit(r, null);
    expect(doMsgsnd(s, id, msg(1, "hi"), 0)).toBe(0);
    expect(r.state).toBe("running");
    const q = ipcNs(k).msg.find(id)!;
    q.qbytes = 2;
    expect(doMsgsnd(s, id, msg(1, "x"), IPC_NOWAIT)).toBe(-EAGAIN);
    expect(doMsgsnd(s, id, msg(1, "x"), 0)).toBe(PARK);
    k.sched.commit(s, null);
    msgRmid(ipcNs(k), q);
    expect(result(s)).toBe(-EIDRM);
  });

  it("msgsnd of a bad pointer is EFAULT", () => {
    const k = testKernel();
    const t = testTask(k);
    const id = msgget(t, IPC_PRIVATE, 0o600);
    const args = new SyscallArgs(BigInt64Array.from([BigInt(id), 8n, 2n, 0n, 0n, 0n]));
    expect(sys_msgsnd.fn(t, args, kernelApi)).toBe(-EFAULT);
  });
});
