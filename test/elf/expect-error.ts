// Runs a reader call that must fail, and returns its ElfError for the test to inspect.

import { expect } from "vitest";
import { ElfError } from "../../src/elf/index.ts";

/** Returns the ElfError thrown by `fn`; fails the test if it returns or throws anything else. */
export function elfErrorOf(fn: () => unknown): ElfError {
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected an ElfError").toBeInstanceOf(ElfError);
  return thrown as ElfError;
}

/** Asserts that `fn` throws an ElfError about `field` at file offset `offset`. */
export function expectElfError(fn: () => unknown, field: string, offset?: number): ElfError {
  const err = elfErrorOf(fn);
  expect(err.field).toBe(field);
  if (offset !== undefined) expect(err.offset).toBe(offset);
  expect(err.message).toContain(`(at offset 0x${err.offset.toString(16)})`);
  return err;
}

/** Both classes, both byte orders. */
export const VARIANTS = [
  [32, "lsb"],
  [32, "msb"],
  [64, "lsb"],
  [64, "msb"],
] as const;
