// Joins the table file of an architecture with the handlers the family files export, and keeps
// the result honest: an entry point that no family defines, or a number listed twice, is an
// error at start-up rather than a silent ENOSYS.

import type { SyscallDef } from "./types.ts";

export interface TableEntry {
  nr: number;
  abi: string;
  name: string;
  entry: string;
  def: SyscallDef;
  /** Where the handler comes from: "syscalls/fs.ts", or a plug-in's path. */
  origin: string;
}

export type Handlers = ReadonlyMap<string, { def: SyscallDef; origin: string }>;

/**
 * Parses a syscall.tbl-style text: `nr abi name entry` per line, # comments. It runs at every
 * start-up, before anything is warm, so one global regex does the scanning: in V8's
 * interpreter that is about 3x faster than splitting lines and words by hand. A line that is
 * neither blank, a comment nor an entry lands in the last group and is an error.
 */
export function parseTable(text: string): { nr: number; abi: string; name: string; entry: string }[] {
  const rows: { nr: number; abi: string; name: string; entry: string }[] = [];
  const line = /^[ \t]*(?:#.*|(\d+)[ \t]+(\S+)[ \t]+(\S+)[ \t]+([^\s#]+)[ \t]*(?:#.*)?|(.*\S.*))$/gm;
  for (let m = line.exec(text); m !== null; m = line.exec(text)) {
    if (m[5] !== undefined) throw new Error(`syscall table line ${text.slice(0, m.index).split("\n").length}: cannot parse '${m[0]}'`);
    if (m[1] !== undefined) rows.push({ nr: Number(m[1]), abi: m[2]!, name: m[3]!, entry: m[4]! });
    if (m[0].length === 0) line.lastIndex++; // an empty match must not stop the scan
  }
  return rows;
}

/** The number → handler map for one architecture. */
export function buildTable(text: string, handlers: Handlers): Map<number, TableEntry> {
  const table = new Map<number, TableEntry>();
  const rows = parseTable(text);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (table.has(row.nr)) throw new Error(`syscall table: number ${row.nr} listed twice`);
    const h = handlers.get(row.entry);
    if (!h) throw new Error(`syscall table: ${row.name} (${row.nr}) names ${row.entry}, which no syscalls/*.ts file exports (a new family file joins syscalls/families.gen.ts at the next build or test run)`);
    table.set(row.nr, { nr: row.nr, abi: row.abi, name: row.name, entry: row.entry, def: h.def, origin: h.origin });
  }
  return table;
}

/** Collects the sys_* exports of family modules, rejecting a name defined twice. */
export function collectHandlers(families: Record<string, Record<string, unknown>>): Map<string, { def: SyscallDef; origin: string }> {
  const out = new Map<string, { def: SyscallDef; origin: string }>();
  for (const origin in families) {
    const mod = families[origin]!;
    for (const key in mod) {
      if (!key.startsWith("sys_")) continue;
      const value = mod[key];
      if (out.has(key)) throw new Error(`${key} is defined in both ${out.get(key)!.origin} and ${origin}`);
      out.set(key, { def: value as SyscallDef, origin });
    }
  }
  return out;
}
