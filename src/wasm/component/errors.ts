// Errors as preview2 spells them: wasi:filesystem's error-code enum (from Linux errno), and
// wasi:io's `error` resource with the stream-error variant that carries it.

import { errnoName } from "../../kernel/errno.ts";
import { hostCall, WitError, type P2 } from "./host.ts";

/** Linux errno name → wasi:filesystem/types error-code. */
const CODES: Record<string, string> = {
  EACCES: "access", EAGAIN: "would-block", EALREADY: "already", EBADF: "bad-descriptor", EBUSY: "busy",
  EDEADLK: "deadlock", EDQUOT: "quota", EEXIST: "exist", EFBIG: "file-too-large", EILSEQ: "illegal-byte-sequence",
  EINPROGRESS: "in-progress", EINTR: "interrupted", EINVAL: "invalid", EIO: "io", EISDIR: "is-directory",
  ELOOP: "loop", EMLINK: "too-many-links", EMSGSIZE: "message-size", ENAMETOOLONG: "name-too-long",
  ENODEV: "no-device", ENOENT: "no-entry", ENOLCK: "no-lock", ENOMEM: "insufficient-memory",
  ENOSPC: "insufficient-space", ENOTDIR: "not-directory", ENOTEMPTY: "not-empty",
  ENOTRECOVERABLE: "not-recoverable", ENOSYS: "unsupported", EOPNOTSUPP: "unsupported", ENOTTY: "no-tty",
  ENXIO: "no-such-device", EOVERFLOW: "overflow", EPERM: "not-permitted", EPIPE: "pipe", EROFS: "read-only",
  ESPIPE: "invalid-seek", ETXTBSY: "text-file-busy", EXDEV: "cross-device",
};

/** The error-code for a handler's -errno result. */
export function errorCode(ret: number): string {
  return CODES[errnoName(-ret) ?? ""] ?? "io";
}

/** Throws the WIT error for a -errno result (returns the value otherwise). */
export function check(ret: number): number {
  if (ret < 0) throw new WitError(errorCode(ret));
  return ret;
}

/** wasi:io/error's `error` resource: what a failed stream operation reports. */
export class IoError {
  constructor(readonly x: P2, readonly errno: number) {}

  /** to-debug-string */
  toDebugString(): string {
    return hostCall(this.x, "error.to-debug-string", "", () => `${errnoName(this.errno) ?? "errno " + this.errno}`, (s) => JSON.stringify(s));
  }
}

/** The stream-error for a -errno result: `closed` for a broken pipe, else the error resource. */
export function streamError(x: P2, ret: number): WitError {
  if (errnoName(-ret) === "EPIPE") return new WitError({ tag: "closed" });
  return new WitError({ tag: "last-operation-failed", val: new IoError(x, -ret) });
}

/** wasi:filesystem/types filesystem-error-code(err): the error-code an io error stands for. */
export function filesystemErrorCode(x: P2, err: unknown): string | undefined {
  return hostCall(x, "types.filesystem-error-code", "", () => (err instanceof IoError ? errorCode(-err.errno) : undefined), (c) => c ?? "none");
}
