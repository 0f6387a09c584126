// The built-in system calls: every family file's sys_* exports, bound to numbers by the
// architecture's table file.

import * as attr from "./attr.ts";
import * as cred from "./cred.ts";
import * as eventfd from "./eventfd.ts";
import * as eventpoll from "./eventpoll.ts";
import * as fcntl from "./fcntl.ts";
import * as fs from "./fs.ts";
import * as hello from "./hello.ts";
import * as info from "./info.ts";
import * as ipc from "./ipc.ts";
import * as mm from "./mm.ts";
import * as namei from "./namei.ts";
import * as pipe from "./pipe.ts";
import * as poll from "./poll.ts";
import * as prctl from "./prctl.ts";
import * as process from "./process.ts";
import * as readWrite from "./read_write.ts";
import * as rlimit from "./rlimit.ts";
import * as sched from "./sched.ts";
import * as session from "./session.ts";
import * as signal from "./signal.ts";
import * as socket from "./socket.ts";
import * as syslog from "./syslog.ts";
import * as time from "./time.ts";
import * as timer from "./timer.ts";
import riscv64Table from "./tbl/riscv64.ts";
import x86_64Table from "./tbl/x86_64.ts";
import * as riscv64 from "./riscv64.ts";
import * as xattr from "./xattr.ts";
import { buildTable, collectHandlers, type TableEntry } from "./table.ts";

/** The family modules, keyed by the file that implements them (what `sysemu syscalls` shows). */
export const FAMILIES: Record<string, Record<string, unknown>> = {
  "syscalls/attr.ts": attr,
  "syscalls/cred.ts": cred,
  "syscalls/eventfd.ts": eventfd,
  "syscalls/eventpoll.ts": eventpoll,
  "syscalls/fcntl.ts": fcntl,
  "syscalls/fs.ts": fs,
  "syscalls/hello.ts": hello,
  "syscalls/info.ts": info,
  "syscalls/ipc.ts": ipc,
  "syscalls/mm.ts": mm,
  "syscalls/namei.ts": namei,
  "syscalls/pipe.ts": pipe,
  "syscalls/poll.ts": poll,
  "syscalls/prctl.ts": prctl,
  "syscalls/process.ts": process,
  "syscalls/read_write.ts": readWrite,
  "syscalls/riscv64.ts": riscv64,
  "syscalls/rlimit.ts": rlimit,
  "syscalls/sched.ts": sched,
  "syscalls/session.ts": session,
  "syscalls/signal.ts": signal,
  "syscalls/socket.ts": socket,
  "syscalls/syslog.ts": syslog,
  "syscalls/time.ts": time,
  "syscalls/timer.ts": timer,
  "syscalls/xattr.ts": xattr,
};

export interface TableOptions {
  /** CONFIG_HELLO_SYSCALL: false leaves 400/401 out (ENOSYS), as a kernel built without them. */
  hello?: boolean;
}

/** The riscv64 table: number → handler. */
export function riscv64Syscalls(opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(riscv64Table, opts);
}

/** The x86-64 table: number → handler. */
export function x86_64Syscalls(opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(x86_64Table, opts);
}

/** The architectures sysemu has a table for, by uname -m name. */
export type SyscallArch = "riscv64" | "x86_64";

/** The table of `arch`. */
export function syscallsFor(arch: SyscallArch, opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(arch === "x86_64" ? x86_64Table : riscv64Table, opts);
}

function archSyscalls(text: string, opts: TableOptions): Map<number, TableEntry> {
  const table = buildTable(text, collectHandlers(FAMILIES));
  if (opts.hello === false) for (const [nr, e] of table) if (e.origin === "syscalls/hello.ts") table.delete(nr);
  return table;
}
