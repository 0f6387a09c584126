// The control and status registers a user-mode program can reach (Zicsr): the FP status
// fields and the read-only counters. Anything else is an illegal instruction, as it is for a
// U-mode program under Linux.

import { Op } from "./opcodes.ts";

export const CSR_FFLAGS = 0x001;
export const CSR_FRM = 0x002;
export const CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;

export interface CsrState {
  fflags: number;
  frm: number;
  readTime: () => bigint;
}

/** Executes a CSR instruction; returns the old value (for rd), or null when it is illegal. */
export function csrAccess(
  st: CsrState,
  op: Op,
  csr: number,
  operand: bigint,
  writes: boolean,
  retired: number,
): bigint | null {
  const old = csrRead(st, csr, retired);
  if (old === null) return null;
  if (!writes) return old;
  // CSRs with bits 11:10 set are read-only: writing them is illegal even if the value is unchanged.
  if (csr >>> 10 === 3) return null;
  let v: bigint;
  switch (op) {
    case Op.CSRRW:
    case Op.CSRRWI:
      v = operand;
      break;
    case Op.CSRRS:
    case Op.CSRRSI:
      v = old | operand;
      break;
    default:
      v = old & ~operand;
  }
  csrWrite(st, csr, Number(v & 0xffn));
  return old;
}

function csrRead(st: CsrState, csr: number, retired: number): bigint | null {
  switch (csr) {
    case CSR_FFLAGS:
      return BigInt(st.fflags & 0x1f);
    case CSR_FRM:
      return BigInt(st.frm & 7);
    case CSR_FCSR:
      return BigInt(((st.frm & 7) << 5) | (st.fflags & 0x1f));
    case CSR_CYCLE:
    case CSR_INSTRET:
      return BigInt(retired);
    case CSR_TIME:
      return BigInt.asIntN(64, st.readTime());
    default:
      return null;
  }
}

// Only the FP CSRs are writable; their reserved upper bits read as zero.
function csrWrite(st: CsrState, csr: number, v: number): void {
  if (csr === CSR_FFLAGS) st.fflags = v & 0x1f;
  else if (csr === CSR_FRM) st.frm = v & 7;
  else {
    st.fflags = v & 0x1f;
    st.frm = (v >>> 5) & 7;
  }
}
