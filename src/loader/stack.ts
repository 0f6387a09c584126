// The initial process stack, built as Linux builds it: fs/exec.c copies the strings to the top of
// the stack, then fs/binfmt_elf.c (create_elf_tables) adds the random bytes, the auxv, the envp and
// argv arrays and argc. The result is a byte image plus a description of every slot, so that exec
// copies the image into guest memory and `sysemu stack` draws the very same bytes.

import { AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM } from "./auxv-types.ts";
import { MAX_ARG_STRLEN } from "../kernel/proc/binfmt.ts";


export type AuxvEntry = readonly [type: number, value: bigint];

/** One 8-byte slot or one string of the built stack, for inspectors. */
export interface StackItem {
  addr: number;
  size: number;
  kind: "argc" | "argv" | "envp" | "null" | "auxv" | "padding" | "random" | "argv-string" | "envp-string" | "execfn" | "platform" | "end-marker";
  index?: number;
  auxvType?: number;
  value?: bigint;
  text?: string;
}

export interface StackInput {
  /** The first address above the stack (the stack VMA's end). */
  top: number;
  argv: readonly Uint8Array[];
  envp: readonly Uint8Array[];
  /** The path exec was given (bprm->filename): AT_EXECFN points at its copy. */
  execfn: Uint8Array;
  /** The 16 bytes AT_RANDOM points at. */
  random: Uint8Array;
  /** arch_align_stack()'s alignment in bytes below the strings: 16 on x86-64; 1 (none) on riscv. */
  alignStack?: number;
  /** What arch_align_stack() subtracts first under ASLR (x86-64: below 8192 bytes). */
  alignJitter?: number;
  /** ELF_PLATFORM (AT_PLATFORM's string), when the architecture has one. */
  platform?: Uint8Array | null;
  /** The auxv without AT_RANDOM/AT_EXECFN/AT_PLATFORM values (filled in here) and without the AT_NULL end. */
  auxv: readonly AuxvEntry[];
}

export interface InitialStack {
  sp: number;
  /** Bytes from sp up to top. */
  image: Uint8Array;
  items: StackItem[];
  auxv: AuxvEntry[];
  argvAddrs: number[];
  envpAddrs: number[];
  /** Where the argument strings start (mm->arg_start) and end, and the same for the environment. */
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  /** The auxv's address and byte length (what /proc/pid/auxv shows). */
  auxvAddr: number;
  auxvBytes: number;
}

export class StackError extends Error {
  constructor(readonly errno: "E2BIG", message: string) {
    super(message);
  }
}

/** Builds the initial stack image for `input`, the way fs/exec.c and create_elf_tables() do. */
export function buildInitialStack(input: StackInput): InitialStack {
  const items: StackItem[] = [];
  // bprm->p starts one pointer below the top: the top 8 bytes stay zero (an end marker).
  let p = input.top - 8;
  items.push({ addr: p, size: 8, kind: "end-marker", value: 0n });
  const strings: { addr: number; bytes: Uint8Array }[] = [];
  const place = (bytes: Uint8Array, kind: StackItem["kind"], index?: number): number => {
    if (bytes.length + 1 > MAX_ARG_STRLEN) throw new StackError("E2BIG", `argument ${kind} ${index ?? ""} is longer than MAX_ARG_STRLEN`);
    p -= bytes.length + 1;
    strings.push({ addr: p, bytes });
    items.push({ addr: p, size: bytes.length + 1, kind, index, text: decodeGuest(bytes) });
    return p;
  };
  // copy_string_kernel(bprm->filename) first, then copy_strings() for envp then argv, each copied
  // from the last string to the first, so argv[0] ends up lowest.
  const execfnAddr = place(input.execfn, "execfn");
  const envpAddrs = placeAll(input.envp, "envp-string", place);
  const argvAddrs = placeAll(input.argv, "argv-string", place);
  const stringsBottom = p;
  if (input.top - stringsBottom > STACK_ARG_LIMIT) throw new StackError("E2BIG", "argument list too long");

  // p = arch_align_stack(p) (x86-64 rounds down to 16 when ASLR is off), then ELF_PLATFORM's
  // string when the arch has one; riscv has neither, so the random bytes sit right below the
  // strings, unaligned.
  if (input.alignStack !== undefined && input.alignStack > 1) {
    p -= input.alignJitter ?? 0;
    p -= p % input.alignStack;
  }
  let platformAddr = 0;
  if (input.platform) {
    p -= input.platform.length + 1;
    platformAddr = p;
    strings.push({ addr: p, bytes: input.platform });
    items.push({ addr: p, size: input.platform.length + 1, kind: "platform", text: decodeGuest(input.platform) });
  }
  p -= 16;
  const randomAddr = p;
  items.push({ addr: p, size: 16, kind: "random" });

  const auxv: AuxvEntry[] = input.auxv.map(([t, v]) =>
    t === AT_RANDOM ? [t, BigInt(randomAddr)] : t === AT_EXECFN ? [t, BigInt(execfnAddr)] : t === AT_PLATFORM ? [t, BigInt(platformAddr)] : [t, v]);
  auxv.push([AT_NULL, 0n]);

  // STACK_ROUND: sp = (p - auxv - argc/argv/envp words) & ~15; the gap left above auxv is padding.
  const words = 1 + input.argv.length + 1 + input.envp.length + 1;
  const sp = Math.floor((p - auxv.length * 16 - words * 8) / 16) * 16;
  const image = new Uint8Array(input.top - sp);
  const dv = new DataView(image.buffer);
  const put = (addr: number, v: bigint) => dv.setBigUint64(addr - sp, v, true);

  for (const s of strings) image.set(s.bytes, s.addr - sp); // the NUL is already zero
  image.set(input.random.subarray(0, 16), randomAddr - sp);

  let q = sp;
  const slot = (v: bigint, kind: StackItem["kind"], extra: Partial<StackItem> = {}) => {
    put(q, v);
    items.push({ addr: q, size: 8, kind, value: v, ...extra });
    q += 8;
  };
  slot(BigInt(input.argv.length), "argc");
  argvAddrs.forEach((a, i) => slot(BigInt(a), "argv", { index: i }));
  slot(0n, "null", { text: "end of argv" });
  envpAddrs.forEach((a, i) => slot(BigInt(a), "envp", { index: i }));
  slot(0n, "null", { text: "end of envp" });
  const auxvAddr = q;
  for (const [t, v] of auxv) {
    put(q, BigInt(t));
    put(q + 8, v);
    items.push({ addr: q, size: 16, kind: "auxv", auxvType: t, value: v });
    q += 16;
  }
  if (randomAddr > q) items.push({ addr: q, size: randomAddr - q, kind: "padding" });
  items.sort((a, b) => a.addr - b.addr);

  return {
    sp, image, items, auxv, argvAddrs, envpAddrs,
    argStart: argvAddrs[0] ?? stringsBottom, argEnd: envpAddrs[0] ?? execfnAddr,
    envStart: envpAddrs[0] ?? execfnAddr, envEnd: execfnAddr,
    auxvAddr, auxvBytes: auxv.length * 16,
  };
}

/** The total size of argv + envp strings Linux accepts: a quarter of the 8 MiB stack rlimit. */
const STACK_ARG_LIMIT = (8 * 1024 * 1024) / 4;

function placeAll(list: readonly Uint8Array[], kind: StackItem["kind"], place: (b: Uint8Array, k: StackItem["kind"], i: number) => number): number[] {
  const addrs = new Array<number>(list.length);
  for (let i = list.length - 1; i >= 0; i--) addrs[i] = place(list[i]!, kind, i);
  return addrs;
}

function decodeGuest(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
