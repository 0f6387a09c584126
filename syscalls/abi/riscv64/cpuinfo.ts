// /proc/cpuinfo on riscv64 (arch/riscv/kernel/cpu.c, c_show): one hart.

/** The ISA sysemu's CPU implements, as riscv's print_isa writes it. */
export const ISA = "rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_zbs";

export function cpuinfoText(): string {
  return [
    "processor\t: 0", "hart\t\t: 0", `isa\t\t: ${ISA}`, "mmu\t\t: sv39", "uarch\t\t: sysemu,rv64gc",
    "mvendorid\t: 0x0", "marchid\t\t: 0x0", "mimpid\t\t: 0x0", `hart isa\t: ${ISA}`, "", "",
  ].join("\n");
}
