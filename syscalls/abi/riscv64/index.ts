// riscv64's ABI object: the asm-generic layouts riscv uses as they are (struct stat of
// include/uapi/asm-generic/stat.h, struct sigaction without sa_restorer, struct epoll_event
// padded to 16 bytes) and CONFIG_CLONE_BACKWARDS's clone argument order. Everything else is
// the shared LP64 layout (../lp64*.ts).

import * as lp64 from "../lp64.ts";
import * as lp64fs from "../lp64-fs.ts";
import * as lp64net from "../lp64-net.ts";
import type { Abi } from "../types.ts";
import { epollEventCodec, sigactionCodec, statCodec } from "../codecs.ts";
import { cpuinfoText } from "./cpuinfo.ts";

/** struct stat (asm-generic): dev, ino, mode, nlink, uid, gid, rdev, pad, size, blksize (int), pad, blocks, times. */
const stat = statCodec({
  size: 128, dev: 0, ino: 8, mode: 16, nlink: [20, 4], uid: 24, gid: 28, rdev: 32,
  fsize: 48, blksize: [56, 4], blocks: 64, atim: 72,
});

export const riscv64Abi: Abi = {
  ...lp64, ...lp64fs, ...lp64net,
  machine: "riscv64",
  cpuinfo: cpuinfoText,
  ...stat,
  ...sigactionCodec(false),
  ...epollEventCodec(false),
  cloneTlsArg: 3, cloneChildTidArg: 4,
  MINSIGSTKSZ: 2048,
  SHMLBA: 4096, // riscv has no shmparam.h of its own: asm-generic's, one page
};
