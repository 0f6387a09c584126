// A system call's number by name, from an architecture's generated names table (the one place
// numbers are written down): code that issues or rewrites calls itself (the vDSOs' fallbacks,
// restart_syscall) asks here instead of repeating a number.

/** The number `names` gives `name`; a name the architecture lacks is a bug, caught at start-up. */
export function syscallNr(names: ReadonlyMap<number, string>, name: string): number {
  for (const [nr, n] of names) if (n === name) return nr;
  throw new Error(`no system call named ${name}`);
}
