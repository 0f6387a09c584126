// siginfo_t as a 64-bit Linux lays it out (include/uapi/asm-generic/siginfo.h): signo, errno and
// code, then a union at offset 16 whose member depends on the signal and code (siginfo_layout).

import type { SigInfo } from "./signal.ts";

export const SIZEOF_SIGINFO = 128;

/** The 128 bytes of a siginfo_t. */
export function encodeSiginfo(info: SigInfo): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGINFO);
  const v = new DataView(b.buffer);
  v.setInt32(0, info.signo, true);
  v.setInt32(4, info.errno ?? 0, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    v.setBigUint64(16, info.addr, true); // _sigfault
  } else if (info.band !== undefined) {
    v.setBigInt64(16, info.band, true); // _sigpoll
    v.setInt32(24, info.fd ?? 0, true);
  } else if (info.tid !== undefined) {
    v.setInt32(16, info.tid, true); // _timer
    v.setInt32(20, info.overrun ?? 0, true);
    v.setBigInt64(24, info.value ?? 0n, true);
  } else {
    v.setInt32(16, info.pid ?? 0, true); // _kill, _rt, _sigchld
    v.setUint32(20, info.uid ?? 0, true);
    if (info.status !== undefined) {
      v.setInt32(24, info.status, true);
      v.setBigInt64(32, info.utime ?? 0n, true);
      v.setBigInt64(40, info.stime ?? 0n, true);
    } else if (info.value !== undefined) {
      v.setBigInt64(24, info.value, true);
    }
  }
  return b;
}

/** A siginfo_t the guest handed to rt_sigqueueinfo: its signo, code, sender and value. */
export function decodeSiginfo(b: Uint8Array): SigInfo {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    signo: v.getInt32(0, true), errno: v.getInt32(4, true), code: v.getInt32(8, true),
    pid: v.getInt32(16, true), uid: v.getUint32(20, true), value: v.getBigInt64(24, true),
  };
}
