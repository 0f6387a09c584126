// The CLI's one way to fail: `sysemu: PROG: reason` on stderr and a documented exit status.
// Exit statuses (also in the README):
//   1..255  the guest's own status; 128+N when the guest was killed by signal N and sysemu did
//           not die of it too (src/util/signal-exit.ts)
//   2       bad command line
//   70      an internal emulator error (a bug in sysemu: please report it)
//   124     the guest was stopped by --timeout or --max-insns
//   126     the program exists but cannot be run (bad ELF, wrong machine, no interpreter)
//   127     the program was not found

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;
export const EXIT_RUNAWAY = 124;
export const EXIT_CANNOT_EXEC = 126;
export const EXIT_NOT_FOUND = 127;

/** An error the CLI reports as one line and an exit status; anything else is an internal error. */
export class CliError extends Error {
  constructor(readonly subject: string | null, message: string, readonly status: number) {
    super(message);
  }
}

/** Prints `err` as one line and returns the exit status for it. */
export function reportError(err: unknown): number {
  if (err instanceof CliError) {
    process.stderr.write(`sysemu: ${err.subject ? err.subject + ": " : ""}${err.message}\n`);
    return err.status;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`sysemu: internal error: ${msg}\n`);
  if (process.env.SYSEMU_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  return EXIT_INTERNAL;
}
