// Every argument kind strace knows, from every family's decoder list. A kind used in the
// syscall table without a decoder here is caught by the table's invariant test.

import type { Decoder } from "./decode.ts";
import { BASIC_KINDS } from "./kinds-basic.ts";
import { FS_KINDS } from "./kinds-fs.ts";
import { IPC_KINDS } from "./kinds-ipc.ts";
import { NET_KINDS } from "./kinds-net.ts";
import { PROC_KINDS } from "./kinds-proc.ts";

export const DECODERS: ReadonlyMap<string, Decoder> = new Map([...BASIC_KINDS, ...FS_KINDS, ...PROC_KINDS, ...NET_KINDS, ...IPC_KINDS]);
