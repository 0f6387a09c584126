// The per-guest state WASI keeps beside the kernel's: the guest's argv and environment, which
// descriptors are preopened directories (and under which name), and each descriptor's WASI
// rights. Descriptors themselves are the task's Linux descriptors: fd 3 is the kernel's fd 3.
//
// Rights are remembered with the open file they belong to, so a number reused after a close
// (through WASI or a raw close(2)) never inherits an old entry. A descriptor WASI never saw
// (opened through linux.syscall) gets the rights its file type allows.

import type { OpenFile } from "../../kernel/fs/file.ts";
import type { Task } from "../../kernel/proc/task.ts";
import type { KernelBridge } from "../bridge.ts";
import type { WasmMM } from "../memory.ts";
import { EBADF, ENOTCAPABLE, FILETYPE, filetypeOfMode, RIGHTS_DIR, RIGHTS_FILE, RIGHTS_TTY } from "./abi.ts";

export interface Rights {
  base: bigint;
  inheriting: bigint;
}

const TCGETS = 0x5401;

export class WasiContext {
  private readonly rights = new Map<number, { file: OpenFile; r: Rights }>();
  private readonly preopens = new Map<number, { file: OpenFile; name: string }>();

  constructor(
    readonly t: Task,
    readonly mm: WasmMM,
    readonly k: KernelBridge,
    readonly argv: readonly string[],
    readonly env: readonly string[],
  ) {}

  /** Marks fd as a preopened directory WASI shows under `name`. */
  addPreopen(fd: number, name: string): void {
    const file = this.t.files.get(fd);
    if (file) this.preopens.set(fd, { file, name });
  }

  /** The preopen name of fd, or null when fd is not (or no longer) a preopen. */
  preopenName(fd: number): string | null {
    const p = this.preopens.get(fd);
    return p && p.file === this.t.files.get(fd) ? p.name : null;
  }

  /** Every live preopen, by descriptor. */
  preopenList(): [number, string][] {
    return [...this.preopens].filter(([fd]) => this.preopenName(fd) !== null).map(([fd, p]) => [fd, p.name]);
  }

  /** The rights of an open fd, or null when fd is not open. */
  rightsOf(fd: number): Rights | null {
    const file = this.t.files.get(fd);
    if (!file) return null;
    const e = this.rights.get(fd);
    if (e && e.file === file) return e.r;
    return this.defaultRights(fd);
  }

  /** 0 when fd is open with all of `need`, else EBADF or ENOTCAPABLE. */
  check(fd: number, need: bigint): number {
    const r = this.rightsOf(fd);
    if (!r) return EBADF;
    return (r.base & need) === need ? 0 : ENOTCAPABLE;
  }

  /** Records the rights of a descriptor WASI opened (path_open) or restricted. */
  setRights(fd: number, r: Rights): void {
    const file = this.t.files.get(fd);
    if (file) this.rights.set(fd, { file, r });
  }

  /** fd_renumber: the WASI state of `from` moves to `to`. */
  moved(from: number, to: number): void {
    const r = this.rights.get(from);
    const p = this.preopens.get(from);
    const file = this.t.files.get(to);
    this.rights.delete(to);
    this.preopens.delete(to);
    if (file && r) this.rights.set(to, { file, r: r.r });
    if (file && p) this.preopens.set(to, { file, name: p.name });
    this.rights.delete(from);
    this.preopens.delete(from);
  }

  private defaultRights(fd: number): Rights {
    const st = this.k.fstat(fd);
    const type = typeof st === "number" ? FILETYPE.UNKNOWN : filetypeOfMode(st.mode);
    if (type === FILETYPE.DIRECTORY) return { base: RIGHTS_DIR, inheriting: RIGHTS_DIR | RIGHTS_FILE };
    if (type === FILETYPE.CHARACTER_DEVICE && this.isTty(fd)) return { base: RIGHTS_TTY, inheriting: 0n };
    return { base: RIGHTS_FILE, inheriting: 0n };
  }

  private isTty(fd: number): boolean {
    const f = this.t.files.get(fd);
    if (!f?.ops.ioctl) return false;
    // TCGETS with a scratch buffer: the terminal answers, anything else says ENOTTY
    return f.ops.ioctl(f, this.t, TCGETS, this.k.alloc(64)) === 0;
  }
}
