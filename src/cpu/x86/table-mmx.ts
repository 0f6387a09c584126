// The MMX rows of the opcode table, see table.ts for the notation (P: mm register in ModRM.reg,
// N: mm register in ModRM.rm, Q: N or memory). The packed operations are the SSE2 rows of the
// same opcode without the 66 prefix, on 64-bit operands (mmx.ts).

import { ENTRIES, def } from "./table.ts";
import "./table-sse.ts";
import * as M from "./mmx.ts";

const { Mode } = M;

/** The handler of the SSE2 row with this code. */
function sse(code: string) {
  const e = ENTRIES.find((x) => x.code === code);
  if (e === undefined) throw new Error(`table-mmx: no SSE row ${code}`);
  return e;
}

const hex = (n: number) => n.toString(16);
const PACKED = [
  0x60, 0x61, 0x62, 0x64, 0x65, 0x66, 0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb,
  0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
  0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe,
];
for (const b of PACKED) {
  const e = sse(`66 0f ${hex(b)}`);
  def(`0f ${hex(b)}`, e.mnem, "Pq,Qq", M.mmx(e.fn, Mode.Std));
}
for (const [b, lo] of [[0x68, 0x60], [0x69, 0x61], [0x6a, 0x62]] as const) {
  def(`0f ${hex(b)}`, sse(`66 0f ${hex(b)}`).mnem, "Pq,Qq", M.mmx(sse(`66 0f ${hex(lo)}`).fn, Mode.High));
}
for (const b of [0x63, 0x67, 0x6b]) {
  const e = sse(`66 0f ${hex(b)}`);
  def(`0f ${hex(b)}`, e.mnem, "Pq,Qq", M.mmx(e.fn, Mode.Pack));
}
for (const [b, r] of [[0x71, 2], [0x71, 4], [0x71, 6], [0x72, 2], [0x72, 4], [0x72, 6], [0x73, 2], [0x73, 6]] as const) {
  const e = sse(`66 0f ${hex(b)} /${r}r`);
  def(`0f ${hex(b)} /${r}r`, e.mnem, "Nq,Ib", M.mmx(e.fn, Mode.ShiftImm));
}
def("0f 70", "pshufw", "Pq,Qq,Ib", M.mmx(sse("f2 0f 70").fn, Mode.Std));
def("0f c4", "pinsrw", "Pq,Ew,Ib", M.mmx(sse("66 0f c4").fn, Mode.FromGpr));
def("0f c5", "pextrw", "Gd,Nq,Ib", M.mmx(sse("66 0f c5").fn, Mode.ToGpr));
def("0f d7", "pmovmskb", "Gd,Nq", M.mmx(sse("66 0f d7").fn, Mode.ToGpr));

def("0f 6e", "movd", "Pq,Ey", M.movdPE);
def("0f 7e", "movd", "Ey,Pq", M.movdEP);
def("0f 6f", "movq", "Pq,Qq", M.movqPQ);
def("0f 7f", "movq", "Qq,Pq", M.movqQP);
def("0f e7", "movntq", "Mq,Pq", M.movqQP);
def("f2 0f d6", "movdq2q", "Pq,Ux", M.movdq2q);
def("f3 0f d6", "movq2dq", "Vx,Nq", M.movq2dq);
def("0f f7", "maskmovq", "Pq,Nq", M.maskmovq);
def("0f 77", "emms", "", M.emms);

def("0f 2a", "cvtpi2ps", "Vx,Qq", M.cvtpi2ps);
def("66 0f 2a", "cvtpi2pd", "Vx,Qq", M.cvtpi2pd);
def("0f 2d", "cvtps2pi", "Pq,Wq", M.cvtToPi(false, false));
def("0f 2c", "cvttps2pi", "Pq,Wq", M.cvtToPi(false, true));
def("66 0f 2d", "cvtpd2pi", "Pq,Wx", M.cvtToPi(true, false));
def("66 0f 2c", "cvttpd2pi", "Pq,Wx", M.cvtToPi(true, true));
