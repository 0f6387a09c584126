// Keeps a process's [vvar] page in step with the kernel's clocks: the base time of every clock
// the vDSO serves, taken at one tick count, so that `base + (rdtime - cycle_last) * ns_per_tick`
// in the guest gives exactly what clock_gettime(2) would.

import type { MM } from "../../mm/mm.ts";
import { VVAR_SIZE, writeVvar } from "../../vdso/vvar.ts";
import { VDSO_CLOCKS, type Clock } from "./clock.ts";

/** Writes the current clock bases into the [vvar] mapping at `vvarBase`. */
export function updateVvar(mm: MM, vvarBase: number, clock: Clock): void {
  const t = clock.ticks();
  const clocks = VDSO_CLOCKS.map((id) => {
    const ns = clock.at(id, t)!;
    return { id, sec: ns / 1_000_000_000n, nsec: ns % 1_000_000_000n, resNs: clock.resolution(id)! };
  });
  const page = new Uint8Array(VVAR_SIZE);
  writeVvar(page, { cycleLast: t, clocks });
  mm.poke(vvarBase, page);
}
