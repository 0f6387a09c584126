// `sysemu syscalls`: the system call table as this build has it, honest about what is missing.

import { RISCV64_SYSCALL_NAMES } from "../../syscalls/tbl/riscv64-names.ts";
import { syscallTable } from "./table.ts";

/** Prints the table; with --all also every riscv64 number sysemu answers with ENOSYS. */
export async function syscallsCommand(opts: { hello?: boolean; syscalls?: string[]; all?: boolean; json?: boolean }): Promise<number> {
  const table = await syscallTable(opts);
  const rows: { nr: number; name: string; where: string; support: string; note?: string }[] = [];
  for (const e of table.values()) rows.push({ nr: e.nr, name: e.name, where: e.origin, support: e.def.support ?? "full", note: e.def.note });
  if (opts.all) {
    for (const [nr, name] of RISCV64_SYSCALL_NAMES) if (!table.has(nr)) rows.push({ nr, name, where: "ENOSYS", support: "none" });
  }
  rows.sort((a, b) => a.nr - b.nr);
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  const lines = [`${"nr".padStart(4)}  ${"name".padEnd(24)}${"implemented in".padEnd(24)}support`];
  for (const r of rows) lines.push(`${String(r.nr).padStart(4)}  ${r.name.padEnd(24)}${r.where.padEnd(24)}${r.support}${r.note ? ` (${r.note})` : ""}`);
  const impl = rows.filter((r) => r.where !== "ENOSYS").length;
  lines.push("", `${impl} implemented${opts.all ? `, ${rows.length - impl} ENOSYS` : ""}; other numbers return ENOSYS (see --all)`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
