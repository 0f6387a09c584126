// wasi:io (streams, poll): byte streams over kernel descriptors. An input stream is read(2) on
// its descriptor, or pread64 at the stream's own offset for a file's read-via-stream; an output
// stream is write(2) or pwrite64 likewise. Streams borrow their descriptor's fd (the descriptor
// closes it), so dropping a stream closes nothing. The kernel's calls block as they do for an ELF
// guest, so every stream is always "ready" and a pollable waits only for its clock.

import { check, streamError } from "./errors.ts";
import { hostCall, qb, WitError, type P2 } from "./host.ts";

/** The most one read or write moves (and what check-write promises). */
const MAX_IO = 1 << 20;
const NS = 1_000_000_000n;

/** Reads up to n bytes from fd (at *pos when given, advancing it); empty at end of file. */
export function readFd(x: P2, fd: number, n: number, pos: { at: bigint } | null): Uint8Array {
  const k = x.g.k;
  const len = Math.min(n, MAX_IO);
  const buf = k.alloc(len);
  const got = pos ? k.sys("pread64", fd, buf, len, pos.at) : k.sys("read", fd, buf, len);
  if (got < 0) throw streamError(x, got);
  if (pos) pos.at += BigInt(got);
  return k.view(buf, got).slice();
}

/** Writes all of `bytes` to fd (at *pos when given, advancing it; at the end with `append`). */
export function writeFd(x: P2, fd: number, bytes: Uint8Array, pos: { at: bigint } | null, append = false): void {
  const k = x.g.k;
  const buf = k.alloc(bytes.length);
  k.view(buf, bytes.length).set(bytes);
  if (append) {
    const st = k.fstat(fd);
    if (typeof st === "number") throw streamError(x, st);
    pos = { at: st.size };
  }
  for (let done = 0; done < bytes.length; ) {
    const n = pos ? k.sys("pwrite64", fd, buf + done, bytes.length - done, pos.at) : k.sys("write", fd, buf + done, bytes.length - done);
    if (n < 0) throw streamError(x, n);
    if (n === 0) throw new WitError({ tag: "closed" });
    done += n;
    if (pos) pos.at += BigInt(n);
  }
}

/** wasi:io/poll's pollable: ready at once, or when CLOCK_MONOTONIC reaches `deadline`. */
export class Pollable {
  constructor(readonly x: P2, readonly deadline: bigint | null) {}

  isReady(): boolean {
    if (this.deadline === null) return true;
    const now = monotonicNow(this.x);
    return now >= this.deadline;
  }

  ready(): boolean {
    return hostCall(this.x, "pollable.ready", "", () => this.isReady(), String);
  }

  block(): void {
    hostCall(this.x, "pollable.block", this.deadline === null ? "" : `until=${this.deadline}`, () => sleepUntil(this.x, this.deadline));
  }
}

/** CLOCK_MONOTONIC in ns, from the kernel. */
export function monotonicNow(x: P2): bigint {
  return clockNs(x, 1);
}

/** clock_gettime(id) in ns. */
export function clockNs(x: P2, id: number, call: "clock_gettime" | "clock_getres" = "clock_gettime"): bigint {
  const k = x.g.k;
  const ts = k.alloc(16);
  check(k.sys(call, id, ts));
  const v = new DataView(k.view(ts, 16).slice().buffer);
  return v.getBigInt64(0, true) * NS + v.getBigInt64(8, true);
}

/** Sleeps in the kernel's clock_nanosleep until the monotonic clock reaches `deadline`. */
export function sleepUntil(x: P2, deadline: bigint | null): void {
  if (deadline === null || deadline <= 0n) return;
  const k = x.g.k;
  k.sys("clock_nanosleep", 1, 1 /* TIMER_ABSTIME */, k.timespecs([[deadline / NS, deadline % NS]]), 0);
}

/** wasi:io/poll poll(in): the indices of the ready pollables, waiting for the first if none is. */
export function poll(x: P2, list: Pollable[]): Uint32Array {
  return hostCall(x, "poll.poll", `[${list.length} pollables]`, () => {
    let ready = list.flatMap((p, i) => (p.isReady() ? [i] : []));
    if (ready.length === 0 && list.length > 0) {
      sleepUntil(x, list.reduce((m, p) => (p.deadline !== null && p.deadline < m ? p.deadline : m), list[0]!.deadline ?? 0n));
      ready = list.flatMap((p, i) => (p.isReady() ? [i] : []));
    }
    return Uint32Array.from(ready);
  }, (r) => `[${[...r].join(", ")}]`);
}

/** wasi:io/streams input-stream. */
export class InputStream {
  constructor(readonly x: P2, readonly fd: number, readonly pos: { at: bigint } | null = null) {}

  read(len: bigint): Uint8Array {
    return hostCall(this.x, "input-stream.read", `${this.fd}, ${len}`, () => this.readSome(len), qb);
  }
  blockingRead(len: bigint): Uint8Array {
    return hostCall(this.x, "input-stream.blocking-read", `${this.fd}, ${len}`, () => this.readSome(len), qb);
  }
  skip(len: bigint): bigint {
    return hostCall(this.x, "input-stream.skip", `${this.fd}, ${len}`, () => BigInt(this.readSome(len).length), String);
  }
  blockingSkip(len: bigint): bigint {
    return hostCall(this.x, "input-stream.blocking-skip", `${this.fd}, ${len}`, () => BigInt(this.readSome(len).length), String);
  }
  subscribe(): Pollable {
    return new Pollable(this.x, null);
  }

  /** One read; the end of the stream is the `closed` error, as WIT says. */
  readSome(len: bigint): Uint8Array {
    if (len === 0n) return new Uint8Array(0);
    const b = readFd(this.x, this.fd, Number(len > BigInt(MAX_IO) ? BigInt(MAX_IO) : len), this.pos);
    if (b.length === 0) throw new WitError({ tag: "closed" });
    return b;
  }
}

/** wasi:io/streams output-stream. */
export class OutputStream {
  constructor(readonly x: P2, readonly fd: number, readonly pos: { at: bigint } | null = null, readonly append = false) {}

  checkWrite(): bigint {
    return hostCall(this.x, "output-stream.check-write", `${this.fd}`, () => BigInt(MAX_IO), String);
  }
  write(contents: Uint8Array): void {
    hostCall(this.x, "output-stream.write", `${this.fd}, ${qb(contents)}`, () => writeFd(this.x, this.fd, contents, this.pos, this.append));
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    hostCall(this.x, "output-stream.blocking-write-and-flush", `${this.fd}, ${qb(contents)}`, () => writeFd(this.x, this.fd, contents, this.pos, this.append));
  }
  flush(): void {
    hostCall(this.x, "output-stream.flush", `${this.fd}`, () => undefined);
  }
  blockingFlush(): void {
    hostCall(this.x, "output-stream.blocking-flush", `${this.fd}`, () => undefined);
  }
  writeZeroes(len: bigint): void {
    hostCall(this.x, "output-stream.write-zeroes", `${this.fd}, ${len}`, () => this.zeroes(len));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    hostCall(this.x, "output-stream.blocking-write-zeroes-and-flush", `${this.fd}, ${len}`, () => this.zeroes(len));
  }
  splice(src: InputStream, len: bigint): bigint {
    return hostCall(this.x, "output-stream.splice", `${this.fd}, ${src.fd}, ${len}`, () => this.spliceFrom(src, len), String);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return hostCall(this.x, "output-stream.blocking-splice", `${this.fd}, ${src.fd}, ${len}`, () => this.spliceFrom(src, len), String);
  }
  subscribe(): Pollable {
    return new Pollable(this.x, null);
  }

  private zeroes(len: bigint): void {
    if (len > BigInt(MAX_IO)) throw new WitError({ tag: "closed" });
    writeFd(this.x, this.fd, new Uint8Array(Number(len)), this.pos, this.append);
  }

  private spliceFrom(src: InputStream, len: bigint): bigint {
    const b = src.readSome(len);
    writeFd(this.x, this.fd, b, this.pos, this.append);
    return BigInt(b.length);
  }
}
