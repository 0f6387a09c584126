// Address-space constants, as in <asm/page.h>, <asm/processor.h> and <uapi/asm-generic/mman-common.h>.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** User space ends here: riscv64 with Sv39 gives 256 GiB (arch/riscv/include/asm/pgtable.h). */
export const TASK_SIZE = 0x40_0000_0000;
/** Number of user virtual page numbers. */
export const TASK_PAGES = TASK_SIZE / PAGE_SIZE;

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_NORESERVE = 0x4000;
export const MAP_STACK = 0x20000;

/** Rounds down to a page boundary (works above 2^32, unlike `& ~PAGE_MASK`). */
export function pageAlignDown(addr: number): number {
  return addr - (addr % PAGE_SIZE);
}

/** Rounds up to a page boundary. */
export function pageAlignUp(addr: number): number {
  return pageAlignDown(addr + PAGE_MASK);
}
