// Socket structures as x86-64 (LP64) lays them out: struct msghdr and struct cmsghdr are the
// same as riscv64's (include/linux/socket.h, CMSG_ALIGN to 8), so ./riscv64-net.ts serves both;
// this module gives the architecture-neutral ABI the same names for x86-64.

export { SOL_SOCKET, SCM_RIGHTS, SCM_CREDENTIALS, MSGHDR, decodeCmsgs, encodeCmsgs } from "./riscv64-net.ts";
export type { Cmsg } from "./riscv64-net.ts";
