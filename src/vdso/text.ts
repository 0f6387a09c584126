// The vDSO's machine code: the seven functions Linux/riscv exports, written with our assembler.
// The time functions read [vvar] pc-relatively and the `time` CSR, so they run without a trap;
// anything they cannot answer goes to the real system call with the arguments untouched.

import { RISCV64_SYSCALL_NAMES } from "../../syscalls/tbl/riscv64-names.ts";
import { syscallNr } from "../../syscalls/tbl/nr.ts";
import { Assembler, FENCE_R, R } from "./asm.ts";
import {
  VDSO_NR_CLOCKS,
  VDSO_TIMESTAMP_SIZE,
  VDSO_TS_NSEC,
  VDSO_TS_RES,
  VDSO_TS_SEC,
  VVAR_BASETIME,
  VVAR_CLOCK_MODE,
  VVAR_CYCLE_LAST,
  VVAR_NS_PER_TICK,
  VVAR_SEQ,
  VVAR_TZ_DSTTIME,
  VVAR_TZ_MINUTESWEST,
  VVAR_VALID_CLOCKS,
} from "./vvar.ts";

const nr = (name: string): number => syscallNr(RISCV64_SYSCALL_NAMES, name);
const __NR_clock_gettime = nr("clock_gettime");
const __NR_clock_getres = nr("clock_getres");
const __NR_rt_sigreturn = nr("rt_sigreturn");
const __NR_gettimeofday = nr("gettimeofday");
const __NR_riscv_hwprobe = nr("riscv_hwprobe");
const __NR_riscv_flush_icache = nr("riscv_flush_icache");

const CLOCK_REALTIME = 0;
const NSEC_PER_SEC = 1_000_000_000;
const NSEC_PER_USEC = 1000;

/** The symbol the code uses for the start of [vvar]; image.ts maps it to -VVAR_SIZE. */
export const VVAR_SYMBOL = "vvar";

/** A function's place in the assembled code. */
export interface VdsoFunction {
  name: string;
  offset: number;
  size: number;
}

const { zero, a0, a1, a4, a5, a7, t0, t1, t2, t3, t4, t5, t6 } = R;

/** li a7, nr; ecall; ret: the whole body of a syscall-only entry and of every fallback. */
function syscallTail(a: Assembler, nr: number): void {
  a.li(a7, nr);
  a.ecall();
  a.ret();
}

/** Branches to `fallback` unless clockid `clk` (unsigned, so negative ids fail too) is served. */
function checkClock(a: Assembler, clk: number, fallback: string): void {
  a.li(t1, VDSO_NR_CLOCKS);
  a.bgeu(clk, t1, fallback);
  a.ld(t1, VVAR_VALID_CLOCKS, t0);
  a.srl(t1, t1, clk);
  a.andi(t1, t1, 1);
  a.beqz(t1, fallback);
}

/** t1 = t0 + clk * VDSO_TIMESTAMP_SIZE (24 = 8 + 16): the clock's row, less VVAR_BASETIME. */
function clockRow(a: Assembler, clk: number): void {
  if (VDSO_TIMESTAMP_SIZE !== 24) throw new Error("clockRow assumes 24-byte basetime entries");
  a.slli(t1, clk, 3);
  a.slli(t2, clk, 4);
  a.add(t1, t1, t2);
  a.add(t1, t1, t0);
}

/**
 * Reads the clock whose row t1 points at, inside a seqcount loop like vdso_read_begin/retry:
 * t6 = seconds, t3 = nanoseconds. Clobbers t2, t4, t5, a4, a5.
 */
function readClock(a: Assembler, fn: string, fallback: string): void {
  const retry = `${fn}.retry`, forward = `${fn}.forward`;
  a.label(retry);
  a.lw(t2, VVAR_SEQ, t0);
  a.andi(t3, t2, 1);
  a.bnez(t3, retry);
  a.fence(FENCE_R, FENCE_R);
  a.lw(t3, VVAR_CLOCK_MODE, t0);
  a.beqz(t3, fallback);
  a.rdtime(t3);
  a.ld(t4, VVAR_CYCLE_LAST, t0);
  a.ld(t5, VVAR_NS_PER_TICK, t0);
  a.ld(t6, VVAR_BASETIME + VDSO_TS_SEC, t1);
  a.ld(a5, VVAR_BASETIME + VDSO_TS_NSEC, t1);
  a.fence(FENCE_R, FENCE_R);
  a.lw(a4, VVAR_SEQ, t0);
  a.bne(a4, t2, retry);
  // A counter behind cycle_last (snapshot taken "ahead") must not run the clock backwards.
  a.bgeu(t3, t4, forward);
  a.mv(t3, t4);
  a.label(forward);
  a.sub(t3, t3, t4);
  a.mul(t3, t3, t5);
  a.add(t3, t3, a5);
  a.li(t4, NSEC_PER_SEC);
  a.divu(t5, t3, t4);
  a.remu(t3, t3, t4);
  a.add(t6, t6, t5);
}

/** int __vdso_clock_gettime(clockid_t clk, struct timespec *ts) */
function clockGettime(a: Assembler): void {
  const fallback = "clock_gettime.fallback";
  a.la(t0, VVAR_SYMBOL);
  checkClock(a, a0, fallback);
  clockRow(a, a0);
  readClock(a, "clock_gettime", fallback);
  a.sd(t6, 0, a1);
  a.sd(t3, 8, a1);
  a.li(a0, 0);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_clock_gettime);
}

/** int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz) */
function gettimeofday(a: Assembler): void {
  const fallback = "gettimeofday.fallback", tz = "gettimeofday.tz", done = "gettimeofday.done";
  a.la(t0, VVAR_SYMBOL);
  a.beqz(a0, tz);
  a.ld(t1, VVAR_VALID_CLOCKS, t0);
  a.andi(t1, t1, 1 << CLOCK_REALTIME);
  a.beqz(t1, fallback);
  a.mv(t1, t0); // CLOCK_REALTIME's row is the first
  readClock(a, "gettimeofday", fallback);
  a.li(t4, NSEC_PER_USEC);
  a.divu(t3, t3, t4);
  a.sd(t6, 0, a0);
  a.sd(t3, 8, a0);
  a.label(tz);
  a.beqz(a1, done);
  a.lw(t2, VVAR_TZ_MINUTESWEST, t0);
  a.sw(t2, 0, a1);
  a.lw(t2, VVAR_TZ_DSTTIME, t0);
  a.sw(t2, 4, a1);
  a.label(done);
  a.li(a0, 0);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_gettimeofday);
}

/** int __vdso_clock_getres(clockid_t clk, struct timespec *res) */
function clockGetres(a: Assembler): void {
  const fallback = "clock_getres.fallback", done = "clock_getres.done";
  a.la(t0, VVAR_SYMBOL);
  checkClock(a, a0, fallback);
  a.beqz(a1, done);
  clockRow(a, a0);
  a.ld(t2, VVAR_BASETIME + VDSO_TS_RES, t1);
  a.sd(zero, 0, a1);
  a.sd(t2, 8, a1);
  a.label(done);
  a.li(a0, 0);
  a.ret();
  a.label(fallback);
  syscallTail(a, __NR_clock_getres);
}

/** int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused): one CPU, one node, both 0. */
function getcpu(a: Assembler): void {
  const node = "getcpu.node", done = "getcpu.done";
  a.beqz(a0, node);
  a.sw(zero, 0, a0);
  a.label(node);
  a.beqz(a1, done);
  a.sw(zero, 0, a1);
  a.label(done);
  a.li(a0, 0);
  a.ret();
}

/** __vdso_rt_sigreturn: no ret, and no nop in front (that is arm64's); unwinders match these two words. */
function rtSigreturn(a: Assembler): void {
  a.li(a7, __NR_rt_sigreturn);
  a.ecall();
}

const FUNCTIONS: readonly [string, (a: Assembler) => void][] = [
  ["__vdso_rt_sigreturn", rtSigreturn],
  ["__vdso_gettimeofday", gettimeofday],
  ["__vdso_clock_gettime", clockGettime],
  ["__vdso_clock_getres", clockGetres],
  ["__vdso_getcpu", getcpu],
  ["__vdso_flush_icache", (a) => syscallTail(a, __NR_riscv_flush_icache)],
  ["__vdso_riscv_hwprobe", (a) => syscallTail(a, __NR_riscv_hwprobe)],
];

/** Assembles all vDSO functions into one block; link it with the text address and VVAR_SYMBOL. */
export function assembleVdsoText(): { asm: Assembler; functions: VdsoFunction[] } {
  const asm = new Assembler();
  const functions = FUNCTIONS.map(([name, emit]): VdsoFunction => {
    const offset = asm.offset;
    emit(asm);
    return { name, offset, size: asm.offset - offset };
  });
  return { asm, functions };
}
