// x86-64's ABI object. What differs from riscv64: struct stat (arch/x86/include/uapi/asm/stat.h:
// nlink before mode, a 64-bit blksize, 144 bytes), struct sigaction (sa_restorer between flags
// and mask, 32 bytes: glibc always sets it with SA_RESTORER), struct epoll_event (packed under
// __x86_64__ in include/uapi/linux/eventpoll.h: data at offset 4, 12 bytes) and clone's argument
// order (no CONFIG_CLONE_BACKWARDS: tls last). statfs, statx, timespec, timeval, utsname,
// rlimit, iovec, stack_t, flock, pollfd, msghdr are the shared LP64 layouts (../lp64*.ts).

import * as lp64 from "../lp64.ts";
import * as lp64fs from "../lp64-fs.ts";
import * as lp64net from "../lp64-net.ts";
import type { Abi } from "../types.ts";
import { epollEventCodec, sigactionCodec, statCodec } from "../codecs.ts";
import { cpuinfoText } from "./cpuinfo.ts";

/** struct stat: nlink before mode and 8 bytes wide, pad at 36, an 8-byte blksize, 24 reserved bytes at the end. */
const stat = statCodec({
  size: 144, dev: 0, ino: 8, nlink: [16, 8], mode: 24, uid: 28, gid: 32, rdev: 40,
  fsize: 48, blksize: [56, 8], blocks: 64, atim: 72,
});

export const x86_64Abi: Abi = {
  ...lp64, ...lp64fs, ...lp64net,
  machine: "x86_64",
  cpuinfo: cpuinfoText,
  ...stat,
  ...sigactionCodec(true),
  ...epollEventCodec(true),
  cloneTlsArg: 4, cloneChildTidArg: 3,
  MINSIGSTKSZ: 2048,
  SHMLBA: 4096, // arch/x86/include/asm/shmparam.h: PAGE_SIZE
};
