// struct ipc_namespace: the tables of shared memory segments, semaphore sets and message queues,
// with their limits (the kernel.shm*, kernel.sem and kernel.msg* sysctls at their defaults).
// sysemu has one per run: one per kernel object.

import type { Kernel } from "../kernel.ts";
import { IpcIds } from "./util.ts";
import type { MsgQueue } from "./msg.ts";
import type { SemArray } from "./sem.ts";
import type { ShmidKernel } from "./shm.ts";

/** <uapi/linux/shm.h>: SHMMAX and SHMALL are ULONG_MAX - 2^24 (here: what a double holds). */
export const SHMMIN = 1;
export const SHMMNI = 4096;
export const SHMMAX = Number.MAX_SAFE_INTEGER;
export const SHMALL = Number.MAX_SAFE_INTEGER;
/** <uapi/linux/sem.h> */
export const SEMMNI = 32000, SEMMSL = 32000, SEMMNS = SEMMNI * SEMMSL, SEMOPM = 500, SEMVMX = 32767, SEMAEM = SEMVMX;
/** <uapi/linux/msg.h> */
export const MSGMNI = 32000, MSGMAX = 8192, MSGMNB = 16384;

export class IpcNamespace {
  readonly shm = new IpcIds<ShmidKernel>(SHMMNI);
  readonly sem = new IpcIds<SemArray>(SEMMNI);
  readonly msg = new IpcIds<MsgQueue>(MSGMNI);
  /** Pages of all segments (shm_tot), semaphores of all sets (used_sems). */
  shmTot = 0;
  usedSems = 0;
  /** Messages and their bytes in all queues (msg_hdrs, msg_bytes). */
  msgHdrs = 0;
  msgBytes = 0;
}

/** The IPC namespace of a kernel, made on first use. */
export function ipcNs(k: Kernel): IpcNamespace {
  return (k.ipc ??= new IpcNamespace());
}

/** Whether a kernel has used System V IPC at all (exit's hook skips the work when not). */
export function hasIpcNs(k: Kernel): boolean {
  return k.ipc !== null;
}
