// Reading the guest program from the host with exec's errors, for every kind of guest.

import { readFileSync, statSync } from "node:fs";
import { CliError, EXIT_CANNOT_EXEC, EXIT_NOT_FOUND } from "./errors.ts";

/** Reads a host file for the guest (ENOENT → 127, EACCES/EISDIR → 126). */
export function readProgram(path: string, subject = path): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new CliError(subject, "Is a directory", EXIT_CANNOT_EXEC);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new CliError(subject, "No such file or directory", EXIT_NOT_FOUND);
    if (code === "EACCES") throw new CliError(subject, "Permission denied", EXIT_CANNOT_EXEC);
    throw new CliError(subject, (e as Error).message, EXIT_CANNOT_EXEC);
  }
}
