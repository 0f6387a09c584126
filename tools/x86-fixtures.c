// Generates test/cpu-x86/fixtures/*.txt: runs single instructions natively on the host CPU over
// edge operands and prints, per case, the instruction bytes, the inputs and the outputs.
//
//   gcc -O1 -o /tmp/x86-fixtures tools/x86-fixtures.c && /tmp/x86-fixtures > test/cpu-x86/fixtures/native.txt
//
// Each case line:  name bytes mask | rax rcx rdx rflags mxcsr xmm0 xmm1 | rax rcx rdx rflags mxcsr xmm0 xmm1
// (hex; xmm as lo:hi; "DE" instead of the outputs when the instruction raised #DE). `mask` is the
// set of rflags bits the instruction defines: the test compares only those.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct st {
  uint64_t rax, rcx, rdx, fl, mx, x0[2], x1[2];
};
// offsets: rax 0, rcx 8, rdx 16, fl 24, mx 32, x0 40, x1 56

#define PRO \
  "push %rbx\n push %rbp\n push %r12\n push %r15\n mov %rdi, %r15\n" \
  "ldmxcsr 32(%r15)\n movdqu 40(%r15), %xmm0\n movdqu 56(%r15), %xmm1\n" \
  "mov 0(%r15), %rax\n mov 8(%r15), %rcx\n mov 16(%r15), %rdx\n push 24(%r15)\n popfq\n"
#define EPI \
  "pushfq\n pop 24(%r15)\n mov %rax, 0(%r15)\n mov %rcx, 8(%r15)\n mov %rdx, 16(%r15)\n" \
  "stmxcsr 32(%r15)\n movdqu %xmm0, 40(%r15)\n movdqu %xmm1, 56(%r15)\n" \
  "pop %r15\n pop %r12\n pop %rbp\n pop %rbx\n ret\n"

#define T(name, insn) \
  asm(".text\n.globl t_" #name "\nt_" #name ":\n" PRO ".globl s_" #name "\ns_" #name ":\n" insn "\n.globl e_" #name "\ne_" #name ":\n" EPI); \
  extern char t_##name[], s_##name[], e_##name[];

// kinds: I integer operands in rax/rcx, C also with CF set, S shift counts in cl, X xmm ints,
// F xmm doubles, G xmm singles, R conversions under the four rounding modes
#define LIST(X) \
  X(add64, "add %rcx,%rax", 'C', 0x8d5) X(add32, "add %ecx,%eax", 'I', 0x8d5) X(add16, "add %cx,%ax", 'I', 0x8d5) \
  X(add8, "add %cl,%al", 'I', 0x8d5) X(adc64, "adc %rcx,%rax", 'C', 0x8d5) X(adc32, "adc %ecx,%eax", 'C', 0x8d5) \
  X(adc8, "adc %cl,%al", 'C', 0x8d5) X(sub64, "sub %rcx,%rax", 'I', 0x8d5) X(sub32, "sub %ecx,%eax", 'I', 0x8d5) \
  X(sub8, "sub %cl,%al", 'I', 0x8d5) X(sbb64, "sbb %rcx,%rax", 'C', 0x8d5) X(sbb16, "sbb %cx,%ax", 'C', 0x8d5) \
  X(cmp64, "cmp %rcx,%rax", 'I', 0x8d5) X(cmp8, "cmp %cl,%al", 'I', 0x8d5) X(and64, "and %rcx,%rax", 'I', 0x8c5) \
  X(or32, "or %ecx,%eax", 'I', 0x8c5) X(xor16, "xor %cx,%ax", 'I', 0x8c5) X(test8, "test %cl,%al", 'I', 0x8c5) \
  X(neg64, "neg %rax", 'I', 0x8d5) X(neg8, "neg %al", 'I', 0x8d5) X(not32, "not %eax", 'I', 0) \
  X(inc64, "inc %rax", 'C', 0x8d5) X(dec32, "dec %eax", 'C', 0x8d5) X(inc8, "inc %al", 'I', 0x8d5) \
  X(addi8, "add $0x80,%al", 'I', 0x8d5) X(addi64, "add $-1,%rax", 'I', 0x8d5) X(subi32, "sub $0x7fffffff,%eax", 'I', 0x8d5) \
  X(shl64, "shl %cl,%rax", 'S', 0x8c5) X(shl32, "shl %cl,%eax", 'S', 0x8c5) X(shl8, "shl %cl,%al", 'S', 0x8c5) \
  X(shr64, "shr %cl,%rax", 'S', 0x8c5) X(shr16, "shr %cl,%ax", 'S', 0x8c5) X(sar64, "sar %cl,%rax", 'S', 0x8c5) \
  X(sar8, "sar %cl,%al", 'S', 0x8c5) X(rol64, "rol %cl,%rax", 'S', 0x801) X(ror32, "ror %cl,%eax", 'S', 0x801) \
  X(rol8, "rol %cl,%al", 'S', 0x801) X(rcl64, "rcl %cl,%rax", 'S', 0x801) X(rcr32, "rcr %cl,%eax", 'S', 0x801) \
  X(rcr8, "rcr %cl,%al", 'S', 0x801) X(shl1, "shl $1,%rax", 'I', 0x8c5) X(sar1, "sarl $1,%eax", 'I', 0x8c5) \
  X(shld64, "shld %cl,%rdx,%rax", 'S', 0x8c5) X(shrd32, "shrd %cl,%edx,%eax", 'S', 0x8c5) \
  X(shldi, "shld $7,%rdx,%rax", 'I', 0x8c5) X(shrdi16, "shrd $3,%dx,%ax", 'I', 0x8c5) \
  X(mul64, "mul %rcx", 'I', 0x801) X(mul32, "mul %ecx", 'I', 0x801) X(mul8, "mul %cl", 'I', 0x801) \
  X(imul64, "imul %rcx", 'I', 0x801) X(imul16, "imul %cx", 'I', 0x801) X(imul2_64, "imul %rcx,%rax", 'I', 0x801) \
  X(imul2_32, "imul %ecx,%eax", 'I', 0x801) X(imul3, "imul $-3,%rcx,%rax", 'I', 0x801) \
  X(div64, "div %rcx", 'I', 0) X(div32, "div %ecx", 'I', 0) X(div8, "div %cl", 'I', 0) X(idiv64, "idiv %rcx", 'I', 0) \
  X(idiv32, "idiv %ecx", 'I', 0) X(idiv16, "idiv %cx", 'I', 0) \
  X(bt64, "bt %rcx,%rax", 'I', 0x1) X(bts32, "bts %ecx,%eax", 'I', 0x1) X(btr64, "btr %rcx,%rax", 'I', 0x1) \
  X(btc16, "btc %cx,%ax", 'I', 0x1) X(bti, "btsq $45,%rax", 'I', 0x1) X(bsf64, "bsf %rcx,%rax", 'I', 0x40) \
  X(bsr32, "bsr %ecx,%eax", 'I', 0x40) X(popcnt64, "popcnt %rcx,%rax", 'I', 0x8d5) \
  X(bswap64, "bswap %rax", 'I', 0) X(bswap32, "bswap %eax", 'I', 0) \
  X(movzx8, "movzbl %cl,%eax", 'I', 0) X(movsx16, "movswq %cx,%rax", 'I', 0) X(movsxd, "movslq %ecx,%rax", 'I', 0) \
  X(movah, "mov %ah,%cl", 'I', 0) X(cqo, "cqto", 'I', 0) X(cdq, "cltd", 'I', 0) X(cdqe, "cltq", 'I', 0) X(cwde, "cwtl", 'I', 0) \
  X(setb, "setb %al", 'C', 0) X(setl, "cmp %rcx,%rax; setl %dl", 'I', 0) X(setg8, "cmp %cl,%al; setg %dl", 'I', 0) \
  X(setbe, "cmp %ecx,%eax; setbe %dl", 'I', 0) X(seto, "add %rcx,%rax; seto %dl", 'I', 0) \
  X(setp, "sub %ecx,%eax; setp %dl", 'I', 0) X(cmovl, "cmp %rcx,%rax; cmovl %rcx,%rdx", 'I', 0) \
  X(cmova32, "cmp %ecx,%eax; cmova %ecx,%edx", 'I', 0) X(cmovns, "test %rax,%rax; cmovns %rcx,%rdx", 'I', 0) \
  X(xadd64, "xadd %rcx,%rax", 'I', 0x8d5) X(cmpxchg64, "cmpxchg %rcx,%rdx", 'I', 0x8d5) \
  X(cmpxchg8, "cmpxchg %cl,%dl", 'I', 0x8d5) X(xchg32, "xchg %ecx,%eax", 'I', 0) \
  X(lea1, "lea 0x10(%rax,%rcx,4),%rdx", 'I', 0) X(lea32, "lea -1(%eax,%ecx,8),%edx", 'I', 0) \
  X(sahf, "sahf", 'I', 0xd5) X(lahf, "lahf", 'C', 0) X(cmc, "cmc", 'C', 0x1) \
  X(pxor, "pxor %xmm1,%xmm0", 'X', 0) X(pcmpeqb, "pcmpeqb %xmm1,%xmm0", 'X', 0) X(pcmpeqd, "pcmpeqd %xmm1,%xmm0", 'X', 0) \
  X(pcmpgtb, "pcmpgtb %xmm1,%xmm0", 'X', 0) X(pmovmskb, "pmovmskb %xmm0,%eax", 'X', 0) X(pminub, "pminub %xmm1,%xmm0", 'X', 0) \
  X(psubb, "psubb %xmm1,%xmm0", 'X', 0) X(paddq, "paddq %xmm1,%xmm0", 'X', 0) X(paddw, "paddw %xmm1,%xmm0", 'X', 0) \
  X(paddusb, "paddusb %xmm1,%xmm0", 'X', 0) X(psubsw, "psubsw %xmm1,%xmm0", 'X', 0) X(pmullw, "pmullw %xmm1,%xmm0", 'X', 0) \
  X(pmulhw, "pmulhw %xmm1,%xmm0", 'X', 0) X(pmuludq, "pmuludq %xmm1,%xmm0", 'X', 0) X(pandn, "pandn %xmm1,%xmm0", 'X', 0) \
  X(pshufd, "pshufd $0x1b,%xmm1,%xmm0", 'X', 0) X(pshuflw, "pshuflw $0x4e,%xmm1,%xmm0", 'X', 0) \
  X(punpcklbw, "punpcklbw %xmm1,%xmm0", 'X', 0) X(punpckhwd, "punpckhwd %xmm1,%xmm0", 'X', 0) \
  X(punpckldq, "punpckldq %xmm1,%xmm0", 'X', 0) X(punpcklqdq, "punpcklqdq %xmm1,%xmm0", 'X', 0) \
  X(packuswb, "packuswb %xmm1,%xmm0", 'X', 0) X(packsswb, "packsswb %xmm1,%xmm0", 'X', 0) \
  X(psrldq, "psrldq $3,%xmm0", 'X', 0) X(pslldq, "pslldq $5,%xmm0", 'X', 0) X(psllq, "psllq $13,%xmm0", 'X', 0) \
  X(psrlq, "psrlq %xmm1,%xmm0", 'X', 0) X(psraw, "psraw $3,%xmm0", 'X', 0) X(psrld, "psrld $31,%xmm0", 'X', 0) \
  X(shufps, "shufps $0x93,%xmm1,%xmm0", 'X', 0) X(unpcklps, "unpcklps %xmm1,%xmm0", 'X', 0) \
  X(movhlps, "movhlps %xmm1,%xmm0", 'X', 0) X(movlhps, "movlhps %xmm1,%xmm0", 'X', 0) X(movq, "movq %xmm1,%xmm0", 'X', 0) \
  X(movd, "movd %eax,%xmm0", 'X', 0) X(movqr, "movq %xmm1,%rax", 'X', 0) X(psadbw, "psadbw %xmm1,%xmm0", 'X', 0) \
  X(pmaddwd, "pmaddwd %xmm1,%xmm0", 'X', 0) X(pinsrw, "pinsrw $3,%eax,%xmm0", 'X', 0) X(pextrw, "pextrw $5,%xmm1,%eax", 'X', 0) \
  X(addsd, "addsd %xmm1,%xmm0", 'F', 0) X(subsd, "subsd %xmm1,%xmm0", 'F', 0) X(mulsd, "mulsd %xmm1,%xmm0", 'F', 0) \
  X(divsd, "divsd %xmm1,%xmm0", 'F', 0) X(sqrtsd, "sqrtsd %xmm1,%xmm0", 'F', 0) X(minsd, "minsd %xmm1,%xmm0", 'F', 0) \
  X(maxsd, "maxsd %xmm1,%xmm0", 'F', 0) X(addpd, "addpd %xmm1,%xmm0", 'F', 0) X(mulpd, "mulpd %xmm1,%xmm0", 'F', 0) \
  X(andpd, "andpd %xmm1,%xmm0", 'F', 0) X(xorps, "xorps %xmm1,%xmm0", 'F', 0) X(ucomisd, "ucomisd %xmm1,%xmm0", 'F', 0x8d5) \
  X(comisd, "comisd %xmm1,%xmm0", 'F', 0x8d5) X(cmpltsd, "cmpltsd %xmm1,%xmm0", 'F', 0) X(cmpunordpd, "cmpunordpd %xmm1,%xmm0", 'F', 0) \
  X(cmpnlepd, "cmpnlepd %xmm1,%xmm0", 'F', 0) X(movmskpd, "movmskpd %xmm0,%eax", 'F', 0) X(unpcklpd, "unpcklpd %xmm1,%xmm0", 'F', 0) \
  X(shufpd, "shufpd $1,%xmm1,%xmm0", 'F', 0) X(movsd, "movsd %xmm1,%xmm0", 'F', 0) \
  X(addss, "addss %xmm1,%xmm0", 'G', 0) X(mulss, "mulss %xmm1,%xmm0", 'G', 0) X(divss, "divss %xmm1,%xmm0", 'G', 0) \
  X(addps, "addps %xmm1,%xmm0", 'G', 0) X(minps, "minps %xmm1,%xmm0", 'G', 0) X(ucomiss, "ucomiss %xmm1,%xmm0", 'G', 0x8d5) \
  X(cmpeqps, "cmpeqps %xmm1,%xmm0", 'G', 0) X(sqrtps, "sqrtps %xmm1,%xmm0", 'G', 0) \
  X(cvtsd2si, "cvtsd2si %xmm1,%rax", 'R', 0) X(cvtsd2si32, "cvtsd2si %xmm1,%eax", 'R', 0) X(cvttsd2si, "cvttsd2si %xmm1,%rax", 'R', 0) \
  X(cvtss2si, "cvtss2si %xmm1,%eax", 'Q', 0) X(cvttss2si, "cvttss2si %xmm1,%rax", 'Q', 0) \
  X(cvtsi2sd, "cvtsi2sd %rcx,%xmm0", 'R', 0) X(cvtsi2ss, "cvtsi2ss %rcx,%xmm0", 'R', 0) X(cvtsi2sd32, "cvtsi2sdl %ecx,%xmm0", 'R', 0) \
  X(cvtsd2ss, "cvtsd2ss %xmm1,%xmm0", 'R', 0) X(cvtss2sd, "cvtss2sd %xmm1,%xmm0", 'Q', 0) X(cvtpd2dq, "cvtpd2dq %xmm1,%xmm0", 'R', 0) \
  X(cvttpd2dq, "cvttpd2dq %xmm1,%xmm0", 'R', 0) X(cvtdq2pd, "cvtdq2pd %xmm1,%xmm0", 'X', 0) X(cvtdq2ps, "cvtdq2ps %xmm1,%xmm0", 'X', 0) \
  X(cvtps2dq, "cvtps2dq %xmm1,%xmm0", 'Q', 0) X(cvtps2pd, "cvtps2pd %xmm1,%xmm0", 'Q', 0) X(cvtpd2ps, "cvtpd2ps %xmm1,%xmm0", 'R', 0) \
  X(mmx_paddb, MMX("paddb %mm1,%mm0"), 'X', 0) X(mmx_paddw, MMX("paddw %mm1,%mm0"), 'X', 0) X(mmx_paddd, MMX("paddd %mm1,%mm0"), 'X', 0) \
  X(mmx_paddq, MMX("paddq %mm1,%mm0"), 'X', 0) X(mmx_psubb, MMX("psubb %mm1,%mm0"), 'X', 0) X(mmx_psubw, MMX("psubw %mm1,%mm0"), 'X', 0) \
  X(mmx_psubd, MMX("psubd %mm1,%mm0"), 'X', 0) X(mmx_psubq, MMX("psubq %mm1,%mm0"), 'X', 0) X(mmx_paddsb, MMX("paddsb %mm1,%mm0"), 'X', 0) \
  X(mmx_paddsw, MMX("paddsw %mm1,%mm0"), 'X', 0) X(mmx_paddusb, MMX("paddusb %mm1,%mm0"), 'X', 0) X(mmx_paddusw, MMX("paddusw %mm1,%mm0"), 'X', 0) \
  X(mmx_psubsb, MMX("psubsb %mm1,%mm0"), 'X', 0) X(mmx_psubsw, MMX("psubsw %mm1,%mm0"), 'X', 0) X(mmx_psubusb, MMX("psubusb %mm1,%mm0"), 'X', 0) \
  X(mmx_psubusw, MMX("psubusw %mm1,%mm0"), 'X', 0) X(mmx_pmullw, MMX("pmullw %mm1,%mm0"), 'X', 0) X(mmx_pmulhw, MMX("pmulhw %mm1,%mm0"), 'X', 0) \
  X(mmx_pmulhuw, MMX("pmulhuw %mm1,%mm0"), 'X', 0) X(mmx_pmuludq, MMX("pmuludq %mm1,%mm0"), 'X', 0) X(mmx_pmaddwd, MMX("pmaddwd %mm1,%mm0"), 'X', 0) \
  X(mmx_psadbw, MMX("psadbw %mm1,%mm0"), 'X', 0) X(mmx_pavgb, MMX("pavgb %mm1,%mm0"), 'X', 0) X(mmx_pavgw, MMX("pavgw %mm1,%mm0"), 'X', 0) \
  X(mmx_pminub, MMX("pminub %mm1,%mm0"), 'X', 0) X(mmx_pmaxub, MMX("pmaxub %mm1,%mm0"), 'X', 0) X(mmx_pminsw, MMX("pminsw %mm1,%mm0"), 'X', 0) \
  X(mmx_pmaxsw, MMX("pmaxsw %mm1,%mm0"), 'X', 0) X(mmx_pand, MMX("pand %mm1,%mm0"), 'X', 0) X(mmx_pandn, MMX("pandn %mm1,%mm0"), 'X', 0) \
  X(mmx_por, MMX("por %mm1,%mm0"), 'X', 0) X(mmx_pxor, MMX("pxor %mm1,%mm0"), 'X', 0) X(mmx_pcmpeqb, MMX("pcmpeqb %mm1,%mm0"), 'X', 0) \
  X(mmx_pcmpeqw, MMX("pcmpeqw %mm1,%mm0"), 'X', 0) X(mmx_pcmpeqd, MMX("pcmpeqd %mm1,%mm0"), 'X', 0) X(mmx_pcmpgtb, MMX("pcmpgtb %mm1,%mm0"), 'X', 0) \
  X(mmx_pcmpgtw, MMX("pcmpgtw %mm1,%mm0"), 'X', 0) X(mmx_pcmpgtd, MMX("pcmpgtd %mm1,%mm0"), 'X', 0) X(mmx_punpcklbw, MMX("punpcklbw %mm1,%mm0"), 'X', 0) \
  X(mmx_punpcklwd, MMX("punpcklwd %mm1,%mm0"), 'X', 0) X(mmx_punpckldq, MMX("punpckldq %mm1,%mm0"), 'X', 0) X(mmx_punpckhbw, MMX("punpckhbw %mm1,%mm0"), 'X', 0) \
  X(mmx_punpckhwd, MMX("punpckhwd %mm1,%mm0"), 'X', 0) X(mmx_punpckhdq, MMX("punpckhdq %mm1,%mm0"), 'X', 0) X(mmx_packsswb, MMX("packsswb %mm1,%mm0"), 'X', 0) \
  X(mmx_packuswb, MMX("packuswb %mm1,%mm0"), 'X', 0) X(mmx_packssdw, MMX("packssdw %mm1,%mm0"), 'X', 0) X(mmx_psllw, MMX("psllw %mm1,%mm0"), 'X', 0) \
  X(mmx_pslld, MMX("pslld %mm1,%mm0"), 'X', 0) X(mmx_psllq, MMX("psllq %mm1,%mm0"), 'X', 0) X(mmx_psrlw, MMX("psrlw %mm1,%mm0"), 'X', 0) \
  X(mmx_psrld, MMX("psrld %mm1,%mm0"), 'X', 0) X(mmx_psrlq, MMX("psrlq %mm1,%mm0"), 'X', 0) X(mmx_psraw, MMX("psraw %mm1,%mm0"), 'X', 0) \
  X(mmx_psrad, MMX("psrad %mm1,%mm0"), 'X', 0) X(mmx_psllwi, MMX("psllw $3,%mm0"), 'X', 0) X(mmx_psrldi, MMX("psrld $31,%mm0"), 'X', 0) \
  X(mmx_psrlqi, MMX("psrlq $13,%mm0"), 'X', 0) X(mmx_psrawi, MMX("psraw $15,%mm0"), 'X', 0) X(mmx_pshufw, MMX("pshufw $0x1b,%mm1,%mm0"), 'X', 0) \
  X(mmx_pextrw, "movdq2q %xmm1,%mm1; pextrw $6,%mm1,%eax; emms", 'X', 0) X(mmx_pinsrw, MMX("pinsrw $5,%eax,%mm0"), 'X', 0) X(mmx_pmovmskb, "movdq2q %xmm0,%mm0; pmovmskb %mm0,%eax; emms", 'X', 0) \
  X(mmx_movd, "movd %eax,%mm0; movq2dq %mm0,%xmm0; movd %mm0,%ecx; emms", 'X', 0) X(mmx_movq, "movq %rax,%mm1; movq %mm1,%mm0; movq %mm0,%rdx; movq2dq %mm0,%xmm0; emms", 'X', 0)

// an MMX instruction on mm0 <- xmm0.lo and mm1 <- xmm1.lo, its result back in xmm0 (high half zeroed)
#define MMX(insn) "movdq2q %xmm0,%mm0; movdq2q %xmm1,%mm1; " insn "; movq2dq %mm0,%xmm0; emms"

#define DECL(n, i, k, m) T(n, i)
LIST(DECL)

static sigjmp_buf jb;
static void onfpe(int s) { siglongjmp(jb, 1); }

static const uint64_t IV[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
  0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x123456789abcdef0, 0xfffffffffffffffe, 31, 63};
static const uint64_t SC[] = {0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0xff};
static const uint64_t XV[][2] = {{0, 0}, {~0ull, ~0ull}, {0x0123456789abcdefull, 0xfedcba9876543210ull},
  {0x8000000080000000ull, 0x7fff7fff80018001ull}, {0x00ff00ff7f807f80ull, 0x6162636400000000ull}, {0x0000000100000002ull, 0xffffffff00000003ull}};
static const double FV[] = {0.0, -0.0, 1.0, -1.5, 2.5, 3.5, -2.5, 0.1, 1e300, -1e-310, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0,
  4503599627370497.0, 9.3e18, -9.3e18, 2147483647.5, -2147483648.5, 1.5e-45, 3.4028235e38};

static void line(const char *name, char *s, char *e, unsigned mask, void (*fn)(struct st *), struct st in) {
  struct st out = in;
  printf("%s ", name);
  for (char *p = s; p < e; p++) printf("%02x", (unsigned char)*p);
  printf(" %x | %lx %lx %lx %lx %lx %lx:%lx %lx:%lx | ", mask, in.rax, in.rcx, in.rdx, in.fl, in.mx, in.x0[0], in.x0[1], in.x1[0], in.x1[1]);
  if (sigsetjmp(jb, 1)) {
    printf("DE\n");
    return;
  }
  fn(&out);
  printf("%lx %lx %lx %lx %lx %lx:%lx %lx:%lx\n", out.rax, out.rcx, out.rdx, out.fl & 0xcd5, out.mx, out.x0[0], out.x0[1], out.x1[0], out.x1[1]);
}

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint64_t fpair(double a, double b) {
  float x = (float)a, y = (float)b;
  uint32_t u, v;
  memcpy(&u, &x, 4);
  memcpy(&v, &y, 4);
  return u | (uint64_t)v << 32;
}

static void run(const char *name, char *s, char *e, int kind, unsigned mask, void (*fn)(struct st *)) {
  int nI = sizeof IV / 8, nF = sizeof FV / 8;
  struct st in = {0, 0, 0, 0x202, 0x1f80, {0, 0}, {0, 0}};
  if (kind == 'I' || kind == 'C') {
    for (int i = 0; i < nI; i++)
      for (int j = 0; j < nI; j += (kind == 'C' ? 2 : 1)) {
        in.rax = IV[i]; in.rcx = IV[j]; in.rdx = IV[(i + j) % nI];
        in.fl = 0x202; line(name, s, e, mask, fn, in);
        if (kind == 'C') { in.fl = 0x203 | 0x8d4; line(name, s, e, mask, fn, in); }
      }
  } else if (kind == 'S') {
    for (int i = 0; i < nI; i++)
      for (int j = 0; j < (int)(sizeof SC / 8); j++) {
        in.rax = IV[i]; in.rcx = SC[j]; in.rdx = IV[(i * 7 + 3) % nI];
        in.fl = j & 1 ? 0x203 : 0x8d6; line(name, s, e, mask, fn, in);
      }
  } else if (kind == 'X') {
    int n = sizeof XV / 16;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        in.x0[0] = XV[i][0]; in.x0[1] = XV[i][1]; in.x1[0] = XV[j][0]; in.x1[1] = XV[j][1];
        in.rax = IV[(i * 3 + j) % nI]; line(name, s, e, mask, fn, in);
      }
  } else {
    for (int i = 0; i < nF; i++)
      for (int j = 0; j < nF; j++) {
        int modes = (kind == 'R' || kind == 'Q') ? 4 : 1;
        if ((kind == 'R' || kind == 'Q') && i > 0) continue; // conversions: one operand, all modes
        for (int m = 0; m < modes; m++) {
          in.mx = 0x1f80 | (m << 13);
          if (kind == 'G' || kind == 'Q') {
            in.x0[0] = fpair(FV[i], FV[(i + 3) % nF]); in.x0[1] = fpair(FV[(i + 5) % nF], FV[(i + 7) % nF]);
            in.x1[0] = fpair(FV[j], FV[(j + 3) % nF]); in.x1[1] = fpair(FV[(j + 5) % nF], FV[(j + 7) % nF]);
          } else {
            in.x0[0] = dbits(FV[i]); in.x0[1] = dbits(FV[(i + 3) % nF]);
            in.x1[0] = dbits(FV[j]); in.x1[1] = dbits(FV[(j + 5) % nF]);
          }
          in.rcx = (uint64_t)(int64_t)(FV[j] == FV[j] && FV[j] < 9e18 && FV[j] > -9e18 ? (int64_t)FV[j] : (int64_t)j * 0x1234567890123ll);
          in.rcx += m == 0 ? 0 : 0x10000000000001ll * j;
          line(name, s, e, mask, fn, in);
        }
      }
  }
}

int main(void) {
  signal(SIGFPE, onfpe);
#define RUN(n, i, k, m) run(#n, s_##n, e_##n, k, m, (void (*)(struct st *))t_##n);
  LIST(RUN)
  return 0;
}
