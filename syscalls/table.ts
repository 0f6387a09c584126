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

/** Parses a syscall.tbl-style text: `nr abi name entry` per line, # comments. */
export function parseTable(text: string): { nr: number; abi: string; name: string; entry: string }[] {
  const rows: { nr: number; abi: string; name: string; entry: string }[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    const t = line.replace(/#.*/, "").trim();
    if (!t) continue;
    const [nr, abi, name, entry, ...rest] = t.split(/\s+/);
    if (!nr || !abi || !name || !entry || rest.length || !/^\d+$/.test(nr)) throw new Error(`syscall table line ${i + 1}: cannot parse '${line}'`);
    rows.push({ nr: Number(nr), abi, name, entry });
  }
  return rows;
}

/** The number → handler map for one architecture. */
export function buildTable(text: string, handlers: Handlers): Map<number, TableEntry> {
  const table = new Map<number, TableEntry>();
  for (const row of parseTable(text)) {
    if (table.has(row.nr)) throw new Error(`syscall table: number ${row.nr} listed twice`);
    const h = handlers.get(row.entry);
    if (!h) throw new Error(`syscall table: ${row.name} (${row.nr}) names ${row.entry}, which no syscalls/*.ts file exports`);
    table.set(row.nr, { ...row, def: h.def, origin: h.origin });
  }
  return table;
}

/** Collects the sys_* exports of family modules, rejecting a name defined twice. */
export function collectHandlers(families: Record<string, Record<string, unknown>>): Map<string, { def: SyscallDef; origin: string }> {
  const out = new Map<string, { def: SyscallDef; origin: string }>();
  for (const [origin, mod] of Object.entries(families)) {
    for (const [key, value] of Object.entries(mod)) {
      if (!key.startsWith("sys_")) continue;
      if (out.has(key)) throw new Error(`${key} is defined in both ${out.get(key)!.origin} and ${origin}`);
      out.set(key, { def: value as SyscallDef, origin });
    }
  }
  return out;
}
