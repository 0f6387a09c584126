// The x86-64 vDSO's machine code: the five functions glibc looks up on x86-64 (clock_gettime,
// gettimeofday, time, getcpu, clock_getres, version LINUX_2.6), written with our assembler. The
// time functions read [vvar] rip-relatively and the TSC (rdtsc, which the emulated CPU ticks at
// the [vvar] timebase), so they answer without a trap; what they cannot serve goes to the real
// system call with the arguments untouched. The [vvar] layout is the one src/vdso/vvar.ts
// defines for both architectures.
//
// Only caller-saved registers are used (rax rcx rdx r8-r11; rdi and rsi keep the arguments), and
// no stack: a vDSO function called from a signal handler on a tiny stack must not need one.

import { X86_64_SYSCALL_NAMES } from "../../../syscalls/tbl/x86_64-names.ts";
import { syscallNr } from "../../../syscalls/tbl/nr.ts";
import {
  VDSO_NR_CLOCKS, VDSO_TIMESTAMP_SIZE, VDSO_TS_NSEC, VDSO_TS_RES, VDSO_TS_SEC, VVAR_BASETIME,
  VVAR_CLOCK_MODE, VVAR_CYCLE_LAST, VVAR_NS_PER_TICK, VVAR_SEQ, VVAR_TZ_DSTTIME, VVAR_TZ_MINUTESWEST,
  VVAR_VALID_CLOCKS,
} from "../vvar.ts";
import type { VdsoFunction } from "../text.ts";
import { G, X86Assembler } from "./asm.ts";

// arch/x86/entry/syscalls/syscall_64.tbl
const nr = (name: string): number => syscallNr(X86_64_SYSCALL_NAMES, name);
const __NR_gettimeofday = nr("gettimeofday");
const __NR_time = nr("time");
const __NR_clock_gettime = nr("clock_gettime");
const __NR_clock_getres = nr("clock_getres");

const NSEC_PER_SEC = 1_000_000_000;
const NSEC_PER_USEC = 1000;

export const VVAR_SYMBOL = "vvar";

const { rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11 } = G;

/** mov eax, nr; syscall; ret: every fallback. */
function syscallTail(a: X86Assembler, nr: number): void {
  a.movImm32(rax, nr);
  a.syscall();
  a.ret();
}

/** Jumps to `fallback` unless clockid edi (unsigned: negative ids fail too) is served. Clobbers rax, rcx. */
function checkClock(a: X86Assembler, fallback: string): void {
  a.cmpImm8_32(rdi, VDSO_NR_CLOCKS);
  a.jcc("ae", fallback);
  a.movLoad(rax, { base: r8, disp: VVAR_VALID_CLOCKS });
  a.mov(rcx, rdi);
  a.shrCl(rax);
  a.testImm32(rax, 1);
  a.jcc("e", fallback);
}

/** r9 = r8 + rdi * 24: the clock's row in basetime[], less VVAR_BASETIME. */
function clockRow(a: X86Assembler): void {
  if (VDSO_TIMESTAMP_SIZE !== 24) throw new Error("clockRow assumes 24-byte basetime entries");
  a.lea(r9, { base: rdi, index: rdi, scale: 2 });
  a.lea(r9, { base: r8, index: r9, scale: 8 });
}

/**
 * Reads the clock whose row r9 points at inside a seqcount loop, as vdso_read_begin/retry do:
 * r11 = seconds, rdx = nanoseconds (< 1e9). Clobbers rax, rcx, r10.
 */
function readClock(a: X86Assembler, fn: string, fallback: string): void {
  const retry = `${fn}.retry`, forward = `${fn}.forward`;
  a.label(retry);
  a.movLoad(r10, { base: r8, disp: VVAR_SEQ }, true);
  a.testImm32(r10, 1);
  a.jcc("ne", retry);
  a.movLoad(rax, { base: r8, disp: VVAR_CLOCK_MODE }, true);
  a.test(rax, rax, true);
  a.jcc("e", fallback);
  a.rdtsc();
  a.shlImm(rdx, 32);
  a.or(rax, rdx);
  a.movLoad(rcx, { base: r8, disp: VVAR_CYCLE_LAST });
  a.movLoad(r11, { base: r9, disp: VVAR_BASETIME + VDSO_TS_SEC });
  a.movLoad(rdx, { base: r9, disp: VVAR_BASETIME + VDSO_TS_NSEC });
  a.cmpLoad32(r10, { base: r8, disp: VVAR_SEQ });
  a.jcc("ne", retry);
  // A counter behind cycle_last (a snapshot taken "ahead") must not run the clock backwards.
  a.cmp(rax, rcx);
  a.jcc("ae", forward);
  a.mov(rax, rcx);
  a.label(forward);
  a.sub(rax, rcx);
  a.imulLoad(rax, { base: r8, disp: VVAR_NS_PER_TICK });
  a.add(rax, rdx);
  a.xor32(rdx, rdx);
  a.movImm32(rcx, NSEC_PER_SEC);
  a.div(rcx);
  a.add(r11, rax);
}

/** int __vdso_clock_gettime(clockid_t clk, struct timespec *ts) */
function clockGettime(a: X86Assembler): void {
  const fallback = "clock_gettime.fallback";
  a.leaRip(r8, VVAR_SYMBOL);
  checkClock(a, fallback);
  clockRow(a);
  readClock(a, "clock_gettime", fallback);
  a.movStore({ base: rsi }, r11);
  a.movStore({ base: rsi, disp: 8 }, rdx);
  a.xor32(rax, rax);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_clock_gettime);
}

/** Jumps to `fallback` unless CLOCK_REALTIME is served; r9 = its row. */
function realtimeRow(a: X86Assembler, fallback: string): void {
  a.movLoad(rax, { base: r8, disp: VVAR_VALID_CLOCKS });
  a.testImm32(rax, 1);
  a.jcc("e", fallback);
  a.mov(r9, r8); // CLOCK_REALTIME's row is the first
}

/** int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz) */
function gettimeofday(a: X86Assembler): void {
  const fallback = "gettimeofday.fallback", tz = "gettimeofday.tz", done = "gettimeofday.done";
  a.leaRip(r8, VVAR_SYMBOL);
  a.test(rdi, rdi);
  a.jcc("e", tz);
  realtimeRow(a, fallback);
  readClock(a, "gettimeofday", fallback);
  a.mov(rax, rdx);
  a.xor32(rdx, rdx);
  a.movImm32(rcx, NSEC_PER_USEC);
  a.div(rcx);
  a.movStore({ base: rdi }, r11);
  a.movStore({ base: rdi, disp: 8 }, rax);
  a.label(tz);
  a.test(rsi, rsi);
  a.jcc("e", done);
  a.movLoad(rax, { base: r8, disp: VVAR_TZ_MINUTESWEST }, true);
  a.movStore({ base: rsi }, rax, true);
  a.movLoad(rax, { base: r8, disp: VVAR_TZ_DSTTIME }, true);
  a.movStore({ base: rsi, disp: 4 }, rax, true);
  a.label(done);
  a.xor32(rax, rax);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_gettimeofday);
}

/** time_t __vdso_time(time_t *t) */
function time(a: X86Assembler): void {
  const fallback = "time.fallback", done = "time.done";
  a.leaRip(r8, VVAR_SYMBOL);
  realtimeRow(a, fallback);
  readClock(a, "time", fallback);
  a.mov(rax, r11);
  a.test(rdi, rdi);
  a.jcc("e", done);
  a.movStore({ base: rdi }, rax);
  a.label(done);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_time);
}

/** int __vdso_clock_getres(clockid_t clk, struct timespec *res) */
function clockGetres(a: X86Assembler): void {
  const fallback = "clock_getres.fallback", done = "clock_getres.done";
  a.leaRip(r8, VVAR_SYMBOL);
  checkClock(a, fallback);
  a.test(rsi, rsi);
  a.jcc("e", done);
  clockRow(a);
  a.movLoad(rax, { base: r9, disp: VVAR_BASETIME + VDSO_TS_RES });
  a.movStoreImm32({ base: rsi }, 0);
  a.movStoreImm32({ base: rsi, disp: 4 }, 0);
  a.movStore({ base: rsi, disp: 8 }, rax);
  a.label(done);
  a.xor32(rax, rax);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_clock_getres);
}

/** long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache): one CPU, one node, both 0. */
function getcpu(a: X86Assembler): void {
  const node = "getcpu.node", done = "getcpu.done";
  a.test(rdi, rdi);
  a.jcc("e", node);
  a.movStoreImm32({ base: rdi }, 0);
  a.label(node);
  a.test(rsi, rsi);
  a.jcc("e", done);
  a.movStoreImm32({ base: rsi }, 0);
  a.label(done);
  a.xor32(rax, rax);
  a.ret();
}

/** The exported functions, in the order arch/x86/entry/vdso/vdso.lds.S lists them. */
const FUNCTIONS: readonly [string, (a: X86Assembler) => void][] = [
  ["__vdso_clock_gettime", clockGettime],
  ["__vdso_gettimeofday", gettimeofday],
  ["__vdso_getcpu", getcpu],
  ["__vdso_time", time],
  ["__vdso_clock_getres", clockGetres],
];

/** Assembles every function into one block; link it with the text address and VVAR_SYMBOL. */
export function assembleX86_64VdsoText(): { asm: X86Assembler; functions: VdsoFunction[] } {
  const asm = new X86Assembler();
  const functions = FUNCTIONS.map(([name, emit]): VdsoFunction => {
    const offset = asm.offset;
    emit(asm);
    const size = asm.offset - offset;
    // functions start 16-aligned, as gcc's -falign-functions leaves them; int3 fills the gaps
    while (asm.offset % 16) asm.int3();
    return { name, offset, size };
  });
  return { asm, functions };
}
