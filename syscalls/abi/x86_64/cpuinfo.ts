// /proc/cpuinfo on x86-64 (arch/x86/kernel/cpu/proc.c, show_cpuinfo), read off the CPU's own
// CPUID leaves so that it says what the interpreter advertises and nothing more: one processor.

import { cpuid } from "../../../src/cpu/x86/cpuid.ts";

/** Linux's names (arch/x86/include/asm/cpufeatures.h) of the CPUID bits: [leaf, register, bit, name]. */
const FLAGS: readonly [number, "ecx" | "edx", number, string][] = [
  [1, "edx", 0, "fpu"], [1, "edx", 1, "vme"], [1, "edx", 2, "de"], [1, "edx", 3, "pse"], [1, "edx", 4, "tsc"],
  [1, "edx", 5, "msr"], [1, "edx", 6, "pae"], [1, "edx", 7, "mce"], [1, "edx", 8, "cx8"], [1, "edx", 9, "apic"],
  [1, "edx", 11, "sep"], [1, "edx", 12, "mtrr"], [1, "edx", 13, "pge"], [1, "edx", 14, "mca"], [1, "edx", 15, "cmov"],
  [1, "edx", 16, "pat"], [1, "edx", 17, "pse36"], [1, "edx", 19, "clflush"], [1, "edx", 23, "mmx"], [1, "edx", 24, "fxsr"],
  [1, "edx", 25, "sse"], [1, "edx", 26, "sse2"], [1, "edx", 28, "ht"],
  [0x80000001, "edx", 11, "syscall"], [0x80000001, "edx", 20, "nx"], [0x80000001, "edx", 27, "rdtscp"], [0x80000001, "edx", 29, "lm"],
  [1, "ecx", 0, "pni"], [1, "ecx", 1, "pclmulqdq"], [1, "ecx", 9, "ssse3"], [1, "ecx", 12, "fma"], [1, "ecx", 13, "cx16"],
  [1, "ecx", 19, "sse4_1"], [1, "ecx", 20, "sse4_2"], [1, "ecx", 22, "movbe"], [1, "ecx", 23, "popcnt"], [1, "ecx", 25, "aes"],
  [1, "ecx", 26, "xsave"], [1, "ecx", 28, "avx"], [1, "ecx", 29, "f16c"], [1, "ecx", 30, "rdrand"],
  [0x80000001, "ecx", 0, "lahf_lm"], [0x80000001, "ecx", 5, "abm"],
];

function text4(...regs: number[]): string {
  return regs.map((r) => String.fromCharCode(r & 0xff, (r >>> 8) & 0xff, (r >>> 16) & 0xff, r >>> 24)).join("");
}

export function cpuinfoText(): string {
  const [maxLeaf, vb, vc, vd] = cpuid(0, 0);
  const [sig] = cpuid(1, 0);
  const brand = [0x80000002, 0x80000003, 0x80000004].map((l) => text4(...cpuid(l, 0))).join("").replace(/\0+$/, "").trim();
  const base = (sig >>> 8) & 0xf;
  const family = base + (base === 0xf ? (sig >>> 20) & 0xff : 0);
  const model = ((sig >>> 4) & 0xf) | ((base === 6 || base === 0xf ? (sig >>> 16) & 0xf : 0) << 4);
  const reg = (leaf: number, r: "ecx" | "edx") => cpuid(leaf, 0)[r === "ecx" ? 2 : 3];
  const flags = FLAGS.filter(([leaf, r, bit]) => (reg(leaf, r) >>> bit) & 1).map(([, , , name]) => name);
  const [addr] = cpuid(0x80000008, 0);
  return [
    "processor\t: 0", `vendor_id\t: ${text4(vb, vd, vc)}`, `cpu family\t: ${family}`, `model\t\t: ${model}`,
    `model name\t: ${brand}`, `stepping\t: ${sig & 0xf}`, "physical id\t: 0", "siblings\t: 1", "core id\t\t: 0", "cpu cores\t: 1",
    "apicid\t\t: 0", "initial apicid\t: 0", `fpu\t\t: ${flags.includes("fpu") ? "yes" : "no"}`, "fpu_exception\t: yes",
    `cpuid level\t: ${maxLeaf}`, "wp\t\t: yes", `flags\t\t: ${flags.join(" ")}`, "bugs\t\t:", "clflush size\t: 64",
    "cache_alignment\t: 64", `address sizes\t: ${(addr >>> 0) & 0xff} bits physical, ${(addr >>> 8) & 0xff} bits virtual`,
    "power management:", "", "",
  ].join("\n");
}
