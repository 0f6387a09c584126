// RLIMIT_AS and RLIMIT_DATA as mm/mmap.c applies them: may_expand_vm for every mapping that
// grows the address space (mmap, brk, mremap, mprotect making an area data), and
// check_data_rlimit for brk. "Data" is what is_data_mapping says: private, writable, not a stack.

import type { Task } from "../src/kernel/proc/task.ts";
import { MAP_GROWSDOWN, MAP_SHARED, PAGE_SIZE, PROT_WRITE, type Vma } from "../src/mm/mm.ts";
import { RLIM_INFINITY, rlimit, RLIMIT_AS } from "./rlimit.ts";

export const RLIMIT_DATA = 2;

/** is_data_mapping: VM_WRITE without VM_SHARED or VM_STACK. */
export function isDataMapping(prot: number, flags: number): boolean {
  return (prot & PROT_WRITE) !== 0 && (flags & (MAP_SHARED | MAP_GROWSDOWN)) === 0;
}

/** mm->total_vm and mm->data_vm, in bytes, less the part inside [skipStart, skipEnd). */
function vmSizes(t: Task, skipStart: number, skipEnd: number): { total: number; data: number } {
  let total = 0, data = 0;
  for (const v of t.mm.vmas()) {
    const n = v.end - v.start - Math.max(0, Math.min(v.end, skipEnd) - Math.max(v.start, skipStart));
    total += n;
    if (isDataMapping(v.prot, v.flags)) data += n;
  }
  return { total, data };
}

const pages = (bytes: bigint) => bytes / BigInt(PAGE_SIZE);

/**
 * may_expand_vm: whether `grow` more bytes of a mapping with these prot/flags fit under
 * RLIMIT_AS and, for data, RLIMIT_DATA; [replacedStart, replacedEnd) is what a MAP_FIXED
 * mapping takes over (not counted twice).
 */
export function mayExpandVm(t: Task, grow: number, prot: number, flags: number, replacedStart = 0, replacedEnd = 0): boolean {
  const as = rlimit(t, RLIMIT_AS).cur;
  const data = rlimit(t, RLIMIT_DATA);
  const checkData = data.cur !== RLIM_INFINITY && isDataMapping(prot, flags);
  if (as >= BigInt(t.mm.limit) && !checkData) return true;
  const now = vmSizes(t, replacedStart, replacedEnd);
  const npages = pages(BigInt(grow + PAGE_SIZE - 1));
  if (pages(BigInt(now.total)) + npages > pages(as)) return false;
  if (checkData && pages(BigInt(now.data)) + npages > pages(data.cur)) {
    // a zero soft limit under a larger hard one lets the mapping through, as Linux does
    return data.cur === 0n && pages(BigInt(now.data)) + npages <= pages(data.max);
  }
  return true;
}

/** mprotect_fixup: an area becoming data must fit under RLIMIT_DATA (ENOMEM otherwise). */
export function mayBecomeData(t: Task, v: Vma, start: number, end: number, prot: number): boolean {
  if (isDataMapping(v.prot, v.flags) || !isDataMapping(prot, v.flags)) return true;
  return mayExpandVm(t, end - start, prot, v.flags, start, end) || !mayExpandVm(t, end - start, v.prot, v.flags, start, end);
}

/** check_data_rlimit: the heap plus the program's initialised data within RLIMIT_DATA. */
export function brkWithinDataLimit(t: Task, newBrk: number): boolean {
  const lim = rlimit(t, RLIMIT_DATA).cur;
  if (lim === RLIM_INFINITY) return true;
  return BigInt(newBrk - t.mm.startBrk + t.mm.dataSize) <= lim;
}
