// CPUID: what this CPU says it is. glibc's init_cpu_features reads these leaves and picks
// string/memory routines (IFUNC) from them, so every bit set here is an instruction set this
// interpreter implements, and nothing more:
//
//   leaf 0           max basic leaf 0xd, vendor "GenuineIntel" (glibc's best-tested path)
//   leaf 1  edx      FPU TSC CX8 CMOV MMX FXSR SSE SSE2 -- ecx: CX16 POPCNT; no SSE3/SSSE3/SSE4/
//                    AVX/XSAVE/OSXSAVE (so xgetbv is #UD)
//   leaf 2           one 0xff descriptor: "see leaf 4"
//   leaf 4           deterministic caches: L1d 32K, L1i 32K, L2 1M, L3 8M (glibc's memcpy thresholds)
//   leaf 7           nothing (no BMI1/BMI2/AVX2/ERMS)
//   leaf 0xd         zero (no XSAVE)
//   0x80000000       max extended leaf 0x80000008
//   0x80000001       edx SYSCALL NX LM; ecx LAHF_LM
//   0x80000002..4    brand string
//   0x80000008       48 virtual / 40 physical address bits
//
// glibc refuses to load objects marked "x86 ISA needed: x86-64-baseline" (all of Debian's)
// unless CPUID shows CMOV CX8 FPU FXSR MMX SSE SSE2, so MMX is implemented (mmx.ts). Without
// SSE3 and later, glibc's IFUNCs pick their sse2 variants of the string functions, which is
// what this CPU runs. test/cpu-x86/cpuid.test.ts runs one instruction per advertised bit.

export const LEAF1_EDX =
  (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
export const LEAF1_ECX = (1 << 13) | (1 << 23);
/** AT_HWCAP on x86-64 is leaf 1's edx. */
export const HWCAP = LEAF1_EDX;

const BRAND = "sysemu x86-64 interpreter".padEnd(48, "\0");

function str4(s: string, at: number): number {
  return (s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8) | (s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 24)) >>> 0;
}

/** [eax, ebx, ecx, edx] for leaf/subleaf. */
export function cpuid(leaf: number, sub: number): [number, number, number, number] {
  switch (leaf) {
    case 0:
      return [0xd, str4("Genu", 0), str4("ntel", 0), str4("ineI", 0)];
    case 1:
      // family 6 model 0x3a stepping 9; ebx: CLFLUSH line 8*8 bytes, 1 logical cpu, apic id 0
      return [0x000306a9, 0x00010800, LEAF1_ECX, LEAF1_EDX];
    case 2:
      return [0x00ff0001, 0, 0, 0];
    case 4:
      return cacheLeaf(sub);
    case 0x80000000:
      return [0x80000008, 0, 0, 0];
    case 0x80000001:
      return [0, 0, 1 /* LAHF_LM */, (1 << 11) | (1 << 20) | (1 << 29)];
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const o = (leaf - 0x80000002) * 16;
      return [str4(BRAND, o), str4(BRAND, o + 4), str4(BRAND, o + 8), str4(BRAND, o + 12)];
    }
    case 0x80000008:
      return [0x3028, 0, 0, 0];
    default:
      return [0, 0, 0, 0];
  }
}

// eax: type | level << 5 | self-init << 8; ebx: line-1 | partitions-1 << 12 | ways-1 << 22; ecx: sets-1
function cacheLeaf(sub: number): [number, number, number, number] {
  const c = [
    [1, 1, 8, 64], // L1d 32K: 8 ways x 64 sets x 64 B
    [2, 1, 8, 64], // L1i 32K
    [3, 2, 16, 1024], // L2 1M
    [3, 3, 16, 8192], // L3 8M
  ][sub];
  if (c === undefined) return [0, 0, 0, 0];
  const [type, level, ways, sets] = c as [number, number, number, number];
  const shared = level === 3 ? 1 << 14 : 0; // (threads sharing - 1) << 14
  return [type | (level << 5) | (1 << 8) | shared, 63 | ((ways - 1) << 22), sets - 1, 0];
}
