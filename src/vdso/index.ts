// The vDSO: the ELF image mapped as [vdso] and the [vvar] data pages its time functions read.

export {
  LINUX_VERSION_CODE,
  VDSO_SONAME,
  VDSO_VERSION,
  buildVdsoImage,
  kernelVersion,
  vdsoImage,
  vdsoSymbolOffset,
} from "./image.ts";
export type { VdsoImage, VdsoSymbol } from "./image.ts";
export {
  NS_PER_TICK,
  VDSO_CLOCKMODE_ARCHTIMER,
  VDSO_CLOCKMODE_NONE,
  VDSO_NR_CLOCKS,
  VDSO_TIMEBASE_HZ,
  VVAR_DATA_END,
  VVAR_SIZE,
  readVvar,
  writeVvar,
} from "./vvar.ts";
export type { VvarClock, VvarContents, VvarSnapshot } from "./vvar.ts";
