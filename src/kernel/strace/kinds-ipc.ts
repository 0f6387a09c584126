// Decoders for the System V IPC calls' arguments, in strace's words: IPC_PRIVATE,
// IPC_CREAT|IPC_EXCL|0600, SHM_RDONLY, IPC_RMID, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}],
// {1, "hello"}.

import { copy_from_user, get_user_u64 } from "../../mm/uaccess.ts";
import { hex, readBuf, type Decoder } from "./decode.ts";
import * as F from "./flags.ts";

const IPC_BITS: F.Bits = [[0o1000, "IPC_CREAT"], [0o2000, "IPC_EXCL"], [0o4000, "IPC_NOWAIT"]];
const SHM_BITS: F.Bits = [[0o10000, "SHM_RDONLY"], [0o20000, "SHM_RND"], [0o40000, "SHM_REMAP"], [0o100000, "SHM_EXEC"]];
const MSG_BITS: F.Bits = [[0o4000, "IPC_NOWAIT"], [0o10000, "MSG_NOERROR"], [0o20000, "MSG_EXCEPT"], [0o40000, "MSG_COPY"]];
const SEM_BITS: F.Bits = [[0o4000, "IPC_NOWAIT"], [0x1000, "SEM_UNDO"]];
const COMMON: Record<number, string> = { 0: "IPC_RMID", 1: "IPC_SET", 2: "IPC_STAT", 3: "IPC_INFO" };
const SHM_CMDS: Record<number, string> = { ...COMMON, 11: "SHM_LOCK", 12: "SHM_UNLOCK", 13: "SHM_STAT", 14: "SHM_INFO", 15: "SHM_STAT_ANY" };
const SEM_CMDS: Record<number, string> = {
  ...COMMON, 11: "GETPID", 12: "GETVAL", 13: "GETALL", 14: "GETNCNT", 15: "GETZCNT", 16: "SETVAL", 17: "SETALL",
  18: "SEM_STAT", 19: "SEM_INFO", 20: "SEM_STAT_ANY",
};
const MSG_CMDS: Record<number, string> = { ...COMMON, 11: "MSG_STAT", 12: "MSG_INFO", 13: "MSG_STAT_ANY" };
/** strace prints at most this many sembufs. */
const MAX_SOPS = 32;

const cmd = (table: Record<number, string>, v: number) => table[v] ?? hex(v >>> 0);

/** IPC_CREAT|0600: the flag bits, then the permission bits in octal. */
function ipcFlags(v: number): string {
  const mode = v & 0o777;
  const bits = F.flags(v & ~0o777, IPC_BITS, "");
  const m = mode ? "0" + mode.toString(8).padStart(3, "0") : "";
  return [bits, m].filter(Boolean).join("|") || "0";
}

const sembuf: Decoder = (c) => {
  const p = c.a.ptr(c.i), n = c.a.uint(c.i + 1);
  const shown = Math.min(n, MAX_SOPS);
  const raw = new Uint8Array(shown * 6);
  if (p === 0 || copy_from_user(c.t.mm, raw, p, raw.length)) return hex(p);
  const v = new DataView(raw.buffer);
  const items = Array.from({ length: shown }, (_, i) =>
    `{sem_num=${v.getUint16(i * 6, true)}, sem_op=${v.getInt16(i * 6 + 2, true)}, sem_flg=${F.flags(v.getUint16(i * 6 + 4, true), SEM_BITS)}}`);
  return `[${items.join(", ")}${n > shown ? ", ..." : ""}]`;
};

/** {mtype, "text"}: `len` bytes of text. */
function msgbuf(c: Parameters<Decoder>[0], len: number): string {
  const p = c.a.ptr(c.i);
  const mtype = get_user_u64(c.t.mm, p);
  return mtype === null ? hex(p) : `{${BigInt.asIntN(64, mtype)}, ${readBuf(c.t, p + 8, len)}}`;
}

export const IPC_KINDS: [string, Decoder][] = [
  ["ipc_key", (c) => (c.a.int(c.i) === 0 ? "IPC_PRIVATE" : hex(c.a.uint(c.i)))],
  ["ipc_flags", (c) => ipcFlags(c.a.int(c.i))],
  ["shm_flags", (c) => F.flags(c.a.int(c.i), SHM_BITS)],
  ["ipc_msgflg", (c) => F.flags(c.a.int(c.i), MSG_BITS)],
  ["shmctl_cmd", (c) => cmd(SHM_CMDS, c.a.int(c.i))],
  ["semctl_cmd", (c) => cmd(SEM_CMDS, c.a.int(c.i))],
  ["msgctl_cmd", (c) => cmd(MSG_CMDS, c.a.int(c.i))],
  ["sembuf", sembuf],
  ["msgbuf_in", (c) => msgbuf(c, c.a.size(c.i + 1))],
  ["msgbuf_out", (c) => (c.failed || c.ret === null ? hex(c.a.ptr(c.i)) : msgbuf(c, c.ret))],
];
