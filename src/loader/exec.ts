// exec of an ELF program into a fresh address space: the part of Linux's load_elf_binary() that
// decides addresses (stack, mmap base, PIE bias, interpreter, vDSO, brk) and builds the initial
// stack. Reading files is the caller's: it hands us the bytes of the program and a way to read
// the interpreter, so the same code serves `sysemu run`, the inspectors and execve(2).

import { ET_DYN, PT_INTERP, PT_LOAD } from "../elf/constants.ts";
import { parseElf } from "../elf/reader.ts";
import type { ElfFile } from "../elf/types.ts";
import { MM, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mm/mm.ts";
import type { KernelRandom } from "../kernel/random.ts";
import { VVAR_SIZE } from "../vdso/vvar.ts";
import type { LoaderArch } from "./arch/types.ts";
import { imageSpan, mapImage, pageDown, pageUp } from "./elf-map.ts";
import { buildInitialStack, type InitialStack } from "./stack.ts";

export interface Creds {
  uid: number; euid: number; gid: number; egid: number;
  /** AT_SECURE: a set-user-ID or set-group-ID exec. */
  secure: boolean;
}

export interface ExecRequest {
  /** The program's bytes and the path exec was given (AT_EXECFN, /proc/self/exe). */
  file: Uint8Array;
  path: string;
  argv: readonly Uint8Array[];
  envp: readonly Uint8Array[];
  creds: Creds;
  random: KernelRandom;
  aslr: boolean;
  /** Reads the PT_INTERP program; throws ExecError when it can't. */
  readInterp: (path: string) => Uint8Array;
  /** The architecture the program must be for. */
  arch: LoaderArch;
}

export interface ExecResult {
  /** The architecture the program was loaded for. */
  arch: LoaderArch;
  mm: MM;
  elf: ElfFile;
  interp: ElfFile | null;
  interpPath: string | null;
  /** Where the CPU starts: the interpreter's entry, or the program's own. */
  pc: number;
  stack: InitialStack;
  loadBias: number;
  interpBase: number;
  vdsoBase: number;
  vvarBase: number;
  entry: number;
  phdr: number;
}

/** A failed exec: the errno execve(2) would return and a one-line reason. */
export class ExecError extends Error {
  constructor(readonly errno: string, message: string) {
    super(message);
  }
}

/** load_elf_binary's end_data - start_data: from the highest PT_LOAD's start to its file end. */
function dataSpan(elf: ElfFile): number {
  let start = 0n, end = 0n;
  for (const ph of elf.phdrs) {
    if (ph.type !== PT_LOAD) continue;
    if (ph.vaddr > start) start = ph.vaddr;
    if (ph.vaddr + ph.filesz > end) end = ph.vaddr + ph.filesz;
  }
  return Number(end - start);
}

/** Loads `req.file` into a new MM and builds its initial stack, as execve(2) does. */
export function execElf(req: ExecRequest): ExecResult {
  const arch = req.arch;
  const elf = parseElf(req.file, { machine: arch.machine, pageSize: arch.pageSize, sectionHeaders: false });
  checkInterpTerminated(elf);
  const mm = new MM(undefined, arch.taskSize);
  const rnd = (bits: number) => (req.aslr ? randomBits(req.random, bits) : 0);

  // randomize_stack_top(), then arch_pick_mmap_layout(): top-down mmap below the stack gap.
  const stackTop = arch.stackTop - (rnd(bitsOf(arch.stackRndMask)) & arch.stackRndMask) * arch.pageSize;
  const mmapRnd = rnd(arch.mmapRndBits) * arch.pageSize;
  // mmap_base(): the gap is the stack rlimit, the guard gap and the stack's random range, at least 128 MiB
  const gap = arch.stackRlimit + STACK_GUARD_GAP + (req.aslr ? arch.stackRndMask * arch.pageSize : 0);
  mm.mmapBase = pageDown(arch.stackTop - Math.max(arch.mmapMinGap, gap) - mmapRnd);
  const stackBottom = stackTop - arch.stackRlimit;
  mm.mapFixed(stackBottom, arch.stackRlimit, PROT_READ | PROT_WRITE, { name: "[stack]", flags: MAP_GROWSDOWN });

  // The program: ET_EXEC at its addresses; a PIE with an interpreter at ELF_ET_DYN_BASE; an
  // ET_DYN without one (a static PIE, or ld.so run directly) wherever mmap puts it.
  let bias = 0;
  if (elf.header.type === ET_DYN) {
    const span = imageSpan(elf);
    if (elf.interp !== null) {
      bias = pageDown(arch.elfEtDynBase + mmapRnd) - span.lo;
    } else {
      const at = mm.getUnmappedArea(span.hi - span.lo);
      if (at < 0) throw new ExecError("ENOMEM", "no room for the program");
      bias = at - span.lo;
    }
  }
  const prog = mapImage(mm, elf, bias, req.path);

  let interp: ElfFile | null = null;
  let interpBase = 0;
  let pc = prog.entry;
  if (elf.interp !== null) {
    interp = parseElf(req.readInterp(elf.interp), { machine: arch.machine, pageSize: arch.pageSize, sectionHeaders: false });
    if (interp.interp !== null) throw new ExecError("ELIBBAD", `interpreter ${elf.interp} has an interpreter of its own`);
    const span = imageSpan(interp);
    const at = interp.header.type === ET_DYN ? mm.getUnmappedArea(span.hi - span.lo) : span.lo;
    if (at < 0) throw new ExecError("ENOMEM", "no room for the interpreter");
    const mapped = mapImage(mm, interp, at - span.lo, elf.interp);
    interpBase = mapped.start;
    pc = mapped.entry;
  }

  // arch_setup_additional_pages(): [vvar] then [vdso], one top-down allocation.
  const vdso = arch.vdso();
  const vvarStart = mm.getUnmappedArea(arch.vvarPad + VVAR_SIZE + vdso.size);
  if (vvarStart < 0) throw new ExecError("ENOMEM", "no room for the vDSO");
  if (arch.vvarPad) mm.mapFixed(vvarStart, arch.vvarPad, PROT_READ, { name: "[vvar]" });
  const vvarBase = vvarStart + arch.vvarPad;
  const vdsoBase = vvarBase + VVAR_SIZE;
  mm.mapFixed(vvarBase, VVAR_SIZE, PROT_READ, { name: arch.vvarName });
  mm.mapFixed(vdsoBase, vdso.size, PROT_READ | PROT_EXEC, { name: "[vdso]" });
  mm.poke(vdsoBase, vdso.bytes);

  // brk starts right after the program's bss; under ASLR a static PIE's brk moves out of the
  // mmap area to ELF_ET_DYN_BASE, then arch_randomize_brk() adds up to 1 GiB.
  let brk = pageUp(prog.brk);
  if (req.aslr) {
    if (elf.header.type === ET_DYN && elf.interp === null) brk = arch.elfEtDynBase;
    else brk += arch.pageSize;
    brk += randomBits(req.random, arch.brkRndBits) * arch.pageSize;
  }
  mm.startBrk = mm.brk = brk;
  mm.dataSize = dataSpan(elf);

  const stack = buildInitialStack({
    top: stackTop,
    argv: req.argv,
    envp: req.envp,
    execfn: new TextEncoder().encode(req.path),
    random: req.random.bytes(16),
    alignStack: arch.alignStack,
    alignJitter: req.aslr && arch.alignStack > 1 ? req.random.u32() % 8192 : 0,
    platform: arch.platform === null ? null : new TextEncoder().encode(arch.platform),
    auxv: arch.buildAuxv({
      vdsoBase, phdr: prog.phdr, phent: elf.header.phentsize, phnum: elf.header.phnum,
      interpBase, entry: prog.entry, ...req.creds,
    }),
  });
  mm.poke(stack.sp, stack.image);
  mm.startStack = stack.sp;
  // a poke that found no frame said so in mm.oom: the new image is dropped, execve fails
  if (mm.oom) throw new ExecError("ENOMEM", "out of memory loading the program");

  return {
    arch, mm, elf, interp, interpPath: elf.interp, pc, stack, loadBias: bias, interpBase,
    vdsoBase, vvarBase, entry: prog.entry, phdr: prog.phdr,
  };
}

/** load_elf_binary() wants PT_INTERP's last byte to be its NUL (ENOEXEC otherwise). */
function checkInterpTerminated(elf: ElfFile): void {
  const ph = elf.phdrs.find((p) => p.type === PT_INTERP);
  if (ph && (ph.filesz < 2n || elf.bytes[Number(ph.offset + ph.filesz - 1n)] !== 0)) {
    throw new ExecError("ENOEXEC", "PT_INTERP is not a NUL-terminated path");
  }
}

const MAP_GROWSDOWN = 0x100;
/** stack_guard_gap: 256 pages. */
const STACK_GUARD_GAP = 256 * 4096;

/** Random bits, up to 32 (0 < bits <= 32). */
function randomBits(r: KernelRandom, bits: number): number {
  return bits >= 32 ? r.u32() >>> 0 : r.u32() & ((1 << bits) - 1);
}

/** How many bits a mask of low ones has (STACK_RND_MASK's width). */
function bitsOf(mask: number): number {
  return Math.ceil(Math.log2(mask + 1));
}
