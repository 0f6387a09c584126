// Running one test program in-process: a kernel booted for the test (its own pids, random
// source, kernel log and syscall table instance), the program exec'd from bytes already in
// memory, stdin from a buffer and stdout/stderr into buffers. No host process per test, and
// nothing of the host reachable: the guest's "/" is the test's own directory, mounted read-only.

import { FileTable, O_RDONLY, O_WRONLY, OpenFile, type FileOps } from "../kernel/fs/file.ts";
import { S_IFIFO, type KStat } from "../kernel/fs/stat.ts";
import { Kernel, type RunResult } from "../kernel/kernel.ts";
import { KernelRandom } from "../kernel/random.ts";
import { credFor, type Task } from "../kernel/proc/task.ts";
import { Riscv64Regs } from "../kernel/trap/riscv64.ts";
import { updateVvar } from "../kernel/time/vvar.ts";
import type { OopsReport } from "../kernel/oops.ts";
import type { SyscallTable } from "../kernel/syscall.ts";
import { execElf, ExecError } from "../loader/exec.ts";
import { riscv64Binfmt } from "../loader/arch/riscv64-binfmt.ts";
import { riscv64Loader } from "../loader/arch/riscv64-loader.ts";
import { EventTrace, type CallEvent } from "./trace.ts";

export interface RunRequest {
  /** The program's bytes and the name it runs under (argv[0], /proc/self/exe). */
  elf: Uint8Array;
  name: string;
  args: string[];
  stdin: string;
  env: Record<string, string>;
  /** The host directory the guest sees as "/" (read-only). */
  root: string;
  maxInsns: number;
  timeoutMs: number;
  seed: number | undefined;
  table: SyscallTable;
  /** Hooks for the kernel under test (kmod's uaccess recording), given the booted kernel. */
  attach?: (kernel: Kernel, trace: EventTrace) => void;
}

export interface RunObservation {
  stdout: string;
  stderr: string;
  /** The shell's view: exit code, or 128 + signal. */
  status: number;
  signal: number | null;
  stoppedBy: RunResult["stoppedBy"] | "exec-failed";
  instructions: number;
  /** The kernel log after boot, without timestamps. */
  dmesg: string[];
  calls: CallEvent[];
  oopses: OopsReport[];
  kernel: Kernel | null;
}

const STDOUT_LIMIT = 1 << 20;
const GUEST_UID = 1000;

/** A write-only file collecting what the guest writes (to a megabyte, then silently dropped). */
function captureFile(chunks: Uint8Array[]): OpenFile {
  let size = 0;
  const ops: FileOps = {
    write: (_f, _t, src) => {
      if (size < STDOUT_LIMIT) chunks.push(src.slice(0, STDOUT_LIMIT - size));
      size += src.length;
      return src.length;
    },
    stat: pipeStat,
  };
  return new OpenFile(ops, O_WRONLY, "pipe:[grade-out]");
}

function stdinFile(data: Uint8Array): OpenFile {
  const ops: FileOps = {
    read: (f, _t, dst) => {
      const n = Math.min(dst.length, data.length - f.pos);
      dst.set(data.subarray(f.pos, f.pos + n));
      f.pos += n;
      return n;
    },
    stat: pipeStat,
  };
  return new OpenFile(ops, O_RDONLY, "pipe:[grade-in]");
}

function pipeStat(): KStat {
  return { dev: 12n, ino: 1n, mode: S_IFIFO | 0o600, nlink: 1, uid: GUEST_UID, gid: GUEST_UID, rdev: 0n, size: 0n, blksize: 4096, blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n };
}

/** Runs one program to its end (or a limit) and returns what could be observed. */
export async function runProgram(req: RunRequest): Promise<RunObservation> {
  const random = new KernelRandom(req.seed);
  const enc = new TextEncoder();
  const out: Uint8Array[] = [], err: Uint8Array[] = [];
  const trace = new EventTrace();
  const oopses: OopsReport[] = [];
  const kernel = new Kernel({
    table: req.table, random, strace: trace, root: req.root, readOnly: true,
    maxInsns: req.maxInsns, timeoutMs: req.timeoutMs, binfmt: riscv64Binfmt,
    onOops: (_t, o) => oopses.push(o),
  });
  req.attach?.(kernel, trace);
  const argv0 = `/${req.name}`;
  let image;
  try {
    image = execElf({
      file: req.elf, path: argv0,
      argv: [argv0, ...req.args].map((s) => enc.encode(s)),
      envp: Object.entries(req.env).map(([k, v]) => enc.encode(`${k}=${v}`)),
      creds: { uid: GUEST_UID, euid: GUEST_UID, gid: GUEST_UID, egid: GUEST_UID, secure: false },
      random, aslr: false, arch: riscv64Loader,
      readInterp: (p) => { throw new ExecError("ENOENT", `a test program must be static (it asks for ${p})`); },
    });
  } catch (e) {
    return { stdout: "", stderr: `exec failed: ${(e as Error).message}`, status: 126, signal: null, stoppedBy: "exec-failed", instructions: 0, dmesg: [], calls: [], oopses, kernel: null };
  }
  updateVvar(image.mm, image.vvarBase, kernel.clock);
  const regs = Riscv64Regs.create(image.mm, image.pc, image.stack.sp, () => kernel.clock.ticks());
  const files = new FileTable();
  files.installAt(0, stdinFile(enc.encode(req.stdin)), false);
  files.installAt(1, captureFile(out), false);
  files.installAt(2, captureFile(err), false);
  const task: Task = kernel.spawn(image.mm, regs, files, { cwd: "/", root: "/", umask: 0o022 }, credFor(GUEST_UID, GUEST_UID));
  task.vdsoBase = image.vdsoBase;
  task.exe = argv0;
  task.comm = req.name.slice(0, 15);
  task.auxv = image.mm.peek(image.stack.auxvAddr, image.stack.auxvBytes);
  Object.assign(task, { argStart: image.stack.argStart, argEnd: image.stack.argEnd, envStart: image.stack.envStart, envEnd: image.stack.envEnd });
  const result = await kernel.run();
  kernel.shutdown();
  const dec = new TextDecoder();
  return {
    stdout: dec.decode(Buffer.concat(out)),
    stderr: dec.decode(Buffer.concat(err)),
    status: result.status,
    signal: result.signal,
    stoppedBy: result.stoppedBy,
    instructions: result.instructions,
    dmesg: kernel.printk.records().map((r) => r.text),
    calls: trace.calls,
    oopses,
    kernel,
  };
}
