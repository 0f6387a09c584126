// isatty(3) for the host's descriptors without node:tty, whose loading pulls in net and streams
// (about 5 ms of every start-up): a terminal is a character device of the tty majors.

import { fstatSync } from "node:fs";

/** Linux's terminal device majors: 4 (tty/ttyS), 5 (tty, console, ptmx), 136-143 (pts). */
function isTtyMajor(major: number): boolean {
  return major === 4 || major === 5 || (major >= 136 && major <= 143);
}

/** Whether the host descriptor `fd` is a terminal. */
export function hostIsatty(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    const major = ((st.rdev >> 8) & 0xfff) | (Math.floor(st.rdev / 2 ** 32) & ~0xfff);
    return isTtyMajor(major);
  } catch {
    return false;
  }
}
