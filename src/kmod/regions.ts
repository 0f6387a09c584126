// The user objects of a call, for the uaccess checks: by default, those of the assignment's
// calls. sys_hello2(in, out): `in` (struct hello2_in, 16 bytes, read), `out` (struct hello2_out,
// 20 bytes, written) and the name `in->name` points at: its string with the NUL, or `in->len`
// bytes when the caller says its buffer is that long. sys_hello(buf, len): `buf`, len bytes,
// written. Read from user memory before the handler runs, and not recorded as its accesses.

import { u64_to_user_ptr } from "../../syscalls/args.ts";
import * as uaccess from "../mm/uaccess.ts";
import type { Task } from "../kernel/proc/task.ts";
import type { Regions } from "./uaccess-check.ts";

export interface RegionsCall {
  name: string;
  task: Task;
  /** The raw argument registers. */
  args: BigInt64Array;
}

export type RegionsFn = (call: RegionsCall) => Regions | null;

export const SIZEOF_HELLO2_IN = 16;
export const SIZEOF_HELLO2_OUT = 20;

/** Regions for sys_hello and sys_hello2; null (no checks) for other calls. */
export const defaultRegions: RegionsFn = ({ name, task, args }) => {
  if (name === "hello") return { buf: { addr: u64_to_user_ptr(args[0]!), size: Number(BigInt.asUintN(32, args[1]!)), access: "write" } };
  if (name !== "hello2") return null;
  const inAddr = u64_to_user_ptr(args[0]!);
  const regions: Regions = {
    in: { addr: inAddr, size: SIZEOF_HELLO2_IN, access: "read" },
    out: { addr: u64_to_user_ptr(args[1]!), size: SIZEOF_HELLO2_OUT, access: "write" },
  };
  const kin = new Uint8Array(SIZEOF_HELLO2_IN);
  if (uaccess.copy_from_user(task.mm, kin, inAddr, SIZEOF_HELLO2_IN) === 0) {
    const v = new DataView(kin.buffer);
    const nameAddr = u64_to_user_ptr(v.getBigUint64(0, true));
    const len = v.getUint32(8, true);
    const withNul = uaccess.strnlen_user(task.mm, nameAddr, 1 << 20);
    regions.name = { addr: nameAddr, size: Math.max(withNul, len), access: "read" };
  }
  return regions;
};
