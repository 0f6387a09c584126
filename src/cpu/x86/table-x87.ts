// The x87 rows of the opcode table (d8..df), see table.ts for the notation.

import { def } from "./table.ts";
import * as X from "./x87.ts";
import { nop } from "./ctl.ts";

const ARITH = ["fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"];
const FLOAT = 0, DOUBLE = 1, I16 = 2, I32 = 3, I64 = 4;

for (let k = 0; k < 8; k++) {
  const n = ARITH[k]!;
  def(`d8 /${k}m`, n, "Md", X.arithMem(k, FLOAT));
  def(`dc /${k}m`, n, "Mq", X.arithMem(k, DOUBLE));
  def(`da /${k}m`, "fi" + n.slice(1), "Md", X.arithMem(k, I32));
  def(`de /${k}m`, "fi" + n.slice(1), "Mw", X.arithMem(k, I16));
  def(`d8 ${(0xc0 + 8 * k).toString(16)}+i`, n, "ST,STi", X.arithReg(k, false, false));
  if (k !== 2 && k !== 3) {
    // dc/de with a register: ST(i) is the destination, and sub/div swap with subr/divr
    const swapped = k >= 4 ? k ^ 1 : k;
    def(`dc ${(0xc0 + 8 * k).toString(16)}+i`, ARITH[swapped]!, "STi,ST", X.arithReg(swapped, true, false));
    def(`de ${(0xc0 + 8 * k).toString(16)}+i`, ARITH[swapped]! + "p", "STi,ST", X.arithReg(swapped, true, true));
  }
}
def("d9 /0m", "fld", "Md", X.fldMem(FLOAT));
def("d9 /2m", "fst", "Md", X.fstMem(FLOAT, false));
def("d9 /3m", "fstp", "Md", X.fstMem(FLOAT, true));
def("d9 /4m", "fldenv", "M", X.fldenv);
def("d9 /5m", "fldcw", "Mw", X.fldcw);
def("d9 /6m", "fnstenv", "M", X.fnstenv);
def("d9 /7m", "fnstcw", "Mw", X.fnstcw);
def("d9 c0+i", "fld", "STi", X.fldSti);
def("d9 c8+i", "fxch", "STi", X.fxch);
def("d9 d0", "fnop", "", nop);
const UNARY: [number, string][] = [
  [0xe0, "fchs"], [0xe1, "fabs"], [0xe4, "ftst"], [0xe5, "fxam"], [0xe8, "fld1"], [0xe9, "fldl2t"],
  [0xea, "fldl2e"], [0xeb, "fldpi"], [0xec, "fldlg2"], [0xed, "fldln2"], [0xee, "fldz"], [0xf0, "f2xm1"],
  [0xf1, "fyl2x"], [0xf2, "fptan"], [0xf3, "fpatan"], [0xf4, "fxtract"], [0xf5, "fprem1"], [0xf6, "fdecstp"],
  [0xf7, "fincstp"], [0xf8, "fprem"], [0xf9, "fyl2xp1"], [0xfa, "fsqrt"], [0xfb, "fsincos"], [0xfc, "frndint"],
  [0xfd, "fscale"], [0xfe, "fsin"], [0xff, "fcos"],
];
for (const [b, n] of UNARY) def(`d9 ${b.toString(16)}`, n, "", X.unary(b));

def("db /0m", "fild", "Md", X.fldMem(I32));
def("db /1m", "fisttp", "Md", X.fistMem(4, true, true));
def("db /2m", "fist", "Md", X.fistMem(4, false, false));
def("db /3m", "fistp", "Md", X.fistMem(4, true, false));
def("db /5m", "fld", "Mt", X.fld80);
def("db /7m", "fstp", "Mt", X.fstp80());
def("db e2", "fnclex", "", X.fnclex);
def("db e3", "fninit", "", X.fninit);
def("db e8+i", "fucomi", "ST,STi", X.fcomi(false));
def("db f0+i", "fcomi", "ST,STi", X.fcomi(false));
def("df e8+i", "fucomip", "ST,STi", X.fcomi(true));
def("df f0+i", "fcomip", "ST,STi", X.fcomi(true));
// fcmovcc: da c0 b, c8 e, d0 be, d8 u; db: the negations
const FCMOV: [number, number, string][] = [[0xc0, 2, "b"], [0xc8, 4, "e"], [0xd0, 6, "be"], [0xd8, 10, "u"]];
for (const [b, cc, n] of FCMOV) {
  def(`da ${b.toString(16)}+i`, "fcmov" + n, "ST,STi", X.fcmov(cc));
  def(`db ${b.toString(16)}+i`, "fcmovn" + n, "ST,STi", X.fcmov(cc ^ 1));
}
def("da e9", "fucompp", "", X.fucom(2));
def("de d9", "fcompp", "", X.fucom(2));

def("dd /0m", "fld", "Mq", X.fldMem(DOUBLE));
def("dd /1m", "fisttp", "Mq", X.fistMem(8, true, true));
def("dd /2m", "fst", "Mq", X.fstMem(DOUBLE, false));
def("dd /3m", "fstp", "Mq", X.fstMem(DOUBLE, true));
def("dd /7m", "fnstsw", "Mw", X.fnstswM);
def("dd c0+i", "ffree", "STi", X.ffree);
def("dd d0+i", "fst", "STi", X.fstSti(false));
def("dd d8+i", "fstp", "STi", X.fstSti(true));
def("dd e0+i", "fucom", "STi", X.fucom(0));
def("dd e8+i", "fucomp", "STi", X.fucom(1));

def("df /0m", "fild", "Mw", X.fldMem(I16));
def("df /1m", "fisttp", "Mw", X.fistMem(2, true, true));
def("df /2m", "fist", "Mw", X.fistMem(2, false, false));
def("df /3m", "fistp", "Mw", X.fistMem(2, true, false));
def("df /5m", "fild", "Mq", X.fldMem(I64));
def("df /7m", "fistp", "Mq", X.fistMem(8, true, false));
def("df e0", "fnstsw", "AX", X.fnstswAX);
def("9b", "fwait", "", nop);
