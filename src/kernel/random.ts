// The kernel's random source: host entropy by default, a seeded generator under --seed so that a
// run (AT_RANDOM, getrandom, sys_hello2's rand_data, ASLR) can be reproduced exactly.

import { openSync, readSync } from "node:fs";

export class KernelRandom {
  private state: Uint32Array | null; // xoshiro128** state, or null for host entropy

  /** A generator seeded from `seed`, or the host's entropy when seed is undefined. */
  constructor(seed?: number | bigint) {
    if (seed === undefined) {
      this.state = null;
      return;
    }
    // splitmix32 spreads the seed over the four words (xoshiro must not start all zero)
    let s = Number(BigInt.asUintN(32, BigInt(seed))) >>> 0;
    const st = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      st[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.state = st;
  }

  /** True when the output is reproducible (--seed). */
  get seeded(): boolean {
    return this.state !== null;
  }

  /** Fills `buf` with random bytes. */
  fill(buf: Uint8Array): Uint8Array {
    if (!this.state) return hostRandom(buf);
    for (let i = 0; i < buf.length; i += 4) {
      const v = this.next();
      for (let j = 0; j < 4 && i + j < buf.length; j++) buf[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return buf;
  }

  /** n fresh random bytes. */
  bytes(n: number): Uint8Array {
    return this.fill(new Uint8Array(n));
  }

  /** A random unsigned 32-bit number. */
  u32(): number {
    if (!this.state) return new DataView(hostRandom(new Uint8Array(4)).buffer).getUint32(0, true);
    return this.next();
  }

  private next(): number {
    const s = this.state!;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// The host's entropy from /dev/urandom rather than node:crypto, whose loading alone costs about
// 3 ms of every start-up (measured with --cpu-prof); crypto stays the fallback.
let urandom = -1;
function hostRandom(buf: Uint8Array): Uint8Array {
  try {
    if (urandom < 0) urandom = openSync("/dev/urandom", "r");
    for (let done = 0; done < buf.length; ) done += readSync(urandom, buf, done, buf.length - done, null);
    return buf;
  } catch {
    return globalThis.crypto.getRandomValues(buf);
  }
}
