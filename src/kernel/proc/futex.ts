// futex(2) (the kernel's kernel/futex/): tasks sleep on the address of a 32-bit word until
// another task wakes that address. A private mapping's futex is named by its address space and
// address, a MAP_SHARED one by the page frame behind it, so that processes sharing the page meet.
// One CPU and no preemption inside the kernel make every read-compare-sleep atomic.

import { ACCESS_READ, MAP_SHARED, type MM } from "../../mm/mm.ts";
import { get_user_u32, get_user_u64, put_user_u32 } from "../../mm/uaccess.ts";
import { EAGAIN, EFAULT, EINVAL, ETIMEDOUT } from "../errno.ts";
import { sleepOn } from "./sched.ts";
import { ERESTARTSYS, restartBlock } from "../sysret.ts";
import type { Task } from "./task.ts";

export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

interface Waiter {
  key: string;
  bitset: number;
}

/** The futex hash table: sleepers by key, oldest first, and each sleeper's key and bitset. */
export class FutexTable {
  readonly queues = new Map<string, Task[]>();
  readonly waiters = new Map<Task, Waiter>();
  private readonly mmIds = new WeakMap<MM, number>();
  private nextMm = 1;

  /** A number that names an address space for private keys. */
  mmId(mm: MM): number {
    let id = this.mmIds.get(mm);
    if (id === undefined) this.mmIds.set(mm, (id = this.nextMm++));
    return id;
  }

  enqueue(t: Task, key: string, bitset: number): void {
    const q = this.queues.get(key);
    if (q) q.push(t);
    else this.queues.set(key, [t]);
    this.waiters.set(t, { key, bitset });
  }

  dequeue(t: Task): void {
    const w = this.waiters.get(t);
    if (!w) return;
    this.waiters.delete(t);
    const q = this.queues.get(w.key)!;
    q.splice(q.indexOf(t), 1);
    if (q.length === 0) this.queues.delete(w.key);
  }
}

/** get_futex_key: the word's name, or -EINVAL (misaligned) / -EFAULT (unmapped). */
export function futexKey(t: Task, addr: number): string | number {
  if (addr % 4 !== 0) return -EINVAL;
  const vma = t.mm.findVma(addr);
  if (!vma) return -EFAULT;
  if ((vma.flags & MAP_SHARED) !== 0) {
    const frame = t.mm.handleFault(addr, ACCESS_READ);
    if (frame < 0) return -EFAULT;
    return `s:${frame}:${addr % 4096}`;
  }
  return `p:${t.kernel.futexes.mmId(t.mm)}:${addr}`;
}

/** FUTEX_WAIT(_BITSET): sleeps while *addr == val, until woken, `deadline` (monotonic ns) or a signal. */
export function futexWait(t: Task, addr: number, val: number, deadline: bigint | null, bitset: number): number {
  if (bitset === 0) return -EINVAL;
  const key = futexKey(t, addr);
  if (typeof key === "number") return key;
  const cur = get_user_u32(t.mm, addr);
  if (cur === null) return -EFAULT;
  if (cur !== val >>> 0) return -EAGAIN;
  if (deadline !== null && deadline <= t.kernel.clock.now(1)!) return -ETIMEDOUT;
  const table = t.kernel.futexes;
  table.enqueue(t, key, bitset);
  return sleepOn(t, {
    what: "futex",
    deadline,
    resume: (why) => {
      table.dequeue(t);
      if (why === "wake") return 0;
      if (why === "timeout") return -ETIMEDOUT;
      if (deadline === null) return -ERESTARTSYS;
      return restartBlock(t, () => futexWait(t, addr, val, deadline, bitset));
    },
  });
}

/** FUTEX_WAKE(_BITSET): wakes up to n sleepers on addr whose bitset meets `bitset`. */
export function futexWake(t: Task, addr: number, n: number, bitset: number): number {
  if (bitset === 0) return -EINVAL;
  const key = futexKey(t, addr);
  if (typeof key === "number") return key;
  return wakeKey(t, key, n, bitset);
}

function wakeKey(t: Task, key: string, n: number, bitset: number): number {
  const table = t.kernel.futexes;
  const q = table.queues.get(key);
  if (!q) return 0;
  let woken = 0;
  for (const w of [...q]) {
    if (woken >= n) break;
    if ((table.waiters.get(w)!.bitset & bitset) === 0) continue;
    if (t.kernel.sched.wake(w, "wake", 0)) woken++;
    else table.dequeue(w); // it died waiting (exit_group, SIGKILL): a stale entry
  }
  return woken;
}

/** FUTEX_(CMP_)REQUEUE: wakes n on addr and moves up to n2 others to addr2; cmp checks *addr first. */
export function futexRequeue(t: Task, addr: number, addr2: number, n: number, n2: number, cmp: number | null): number {
  const key = futexKey(t, addr);
  if (typeof key === "number") return key;
  const key2 = futexKey(t, addr2);
  if (typeof key2 === "number") return key2;
  if (cmp !== null) {
    const cur = get_user_u32(t.mm, addr);
    if (cur === null) return -EFAULT;
    if (cur !== cmp >>> 0) return -EAGAIN;
  }
  const woken = wakeKey(t, key, n, FUTEX_BITSET_MATCH_ANY);
  const table = t.kernel.futexes;
  const rest = [...(table.queues.get(key) ?? [])].slice(0, n2);
  for (const w of rest) {
    const bitset = table.waiters.get(w)!.bitset;
    table.dequeue(w);
    table.enqueue(w, key2, bitset);
  }
  return woken + rest.length;
}

/** FUTEX_WAKE_OP: *addr2 = op(*addr2, oparg); wake n on addr and, if old *addr2 passes cmp, n2 on addr2. */
export function futexWakeOp(t: Task, addr: number, addr2: number, n: number, n2: number, encoded: number): number {
  const key2 = futexKey(t, addr2);
  if (typeof key2 === "number") return key2;
  const op = (encoded >>> 28) & 15; // bit 3: FUTEX_OP_OPARG_SHIFT
  const cmp = (encoded >>> 24) & 15;
  let oparg = ((encoded >>> 12) & 0xfff) << 20 >> 20;
  const cmparg = (encoded & 0xfff) << 20 >> 20;
  if (op & 8) oparg = 1 << (oparg & 31);
  const old = get_user_u32(t.mm, addr2);
  if (old === null) return -EFAULT;
  const ops = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if ((op & 7) > 4 || cmp > 5) return -EINVAL;
  if (put_user_u32(t.mm, addr2, ops[op & 7]! >>> 0) !== 0) return -EFAULT;
  const s = old | 0;
  const pass = [s === cmparg, s !== cmparg, s < cmparg, s <= cmparg, s > cmparg, s >= cmparg][cmp]!;
  const woken = futexWake(t, addr, n, FUTEX_BITSET_MATCH_ANY);
  if (woken < 0) return woken;
  return woken + (pass ? wakeKey(t, key2, n2, FUTEX_BITSET_MATCH_ANY) : 0);
}

const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
/** ROBUST_LIST_LIMIT: how many entries exit walks before giving up on a corrupt list. */
const ROBUST_LIST_LIMIT = 2048;

/** exit_robust_list: locks a dying thread holds are marked FUTEX_OWNER_DIED and a waiter woken. */
export function exitRobustList(t: Task): void {
  const head = t.robustList;
  t.robustList = 0;
  if (!head) return;
  const mm = t.mm;
  const offset = get_user_u64(mm, head + 8);
  const pending = get_user_u64(mm, head + 16);
  if (offset === null || pending === null) return;
  const off = Number(BigInt.asIntN(64, offset));
  let entry = get_user_u64(mm, head);
  for (let i = 0; entry !== null && i < ROBUST_LIST_LIMIT; i++) {
    const e = Number(entry & ~1n);
    if (e === head || e === 0) break;
    if (entry !== pending) futexDeath(t, e + off);
    entry = get_user_u64(mm, e);
  }
  if (pending !== 0n) futexDeath(t, Number(pending & ~1n) + off);
}

function futexDeath(t: Task, uaddr: number): void {
  const v = get_user_u32(t.mm, uaddr);
  if (v === null || (v & FUTEX_TID_MASK) !== t.tid) return;
  if (put_user_u32(t.mm, uaddr, ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0) !== 0) return;
  if (v & FUTEX_WAITERS) futexWake(t, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
}
