// `sysemu syscalls`: the system call table as this build has it, honest about what is missing.

import { RISCV64_SYSCALL_NAMES } from "../../syscalls/tbl/riscv64-names.ts";
import { CliError, EXIT_USAGE } from "../util/errors.ts";
import { syscallTable } from "./table.ts";

/** Prints the table; with --all also every number of the architecture sysemu answers with ENOSYS. */
export async function syscallsCommand(opts: { hello?: boolean; syscalls?: string[]; all?: boolean; json?: boolean; arch?: string }): Promise<number> {
  const arch = opts.arch ?? "riscv64";
  if (arch !== "riscv64" && arch !== "x86_64") throw new CliError(null, `--arch must be 'riscv64' or 'x86_64', not '${arch}'`, EXIT_USAGE);
  const table = await syscallTable(opts, arch);
  const NAMES = arch === "x86_64" ? (await import("../../syscalls/tbl/x86_64-names.ts")).X86_64_SYSCALL_NAMES : RISCV64_SYSCALL_NAMES;
  const rows: { nr: number; name: string; where: string; support: string; note?: string }[] = [];
  for (const e of table.values()) rows.push({ nr: e.nr, name: e.name, where: e.origin, support: e.def.support ?? "full", note: e.def.note });
  if (opts.all) {
    for (const [nr, name] of NAMES) if (!table.has(nr)) rows.push({ nr, name, where: "ENOSYS", support: "none" });
  }
  rows.sort((a, b) => a.nr - b.nr);
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  // a plug-in's path can be longer than the column: it pushes the support column, never joins it
  const w = Math.max(24, ...rows.map((r) => r.where.length + 1));
  const lines = [`${"nr".padStart(4)}  ${"name".padEnd(24)}${"implemented in".padEnd(w)}support`];
  for (const r of rows) lines.push(`${String(r.nr).padStart(4)}  ${r.name.padEnd(24)}${r.where.padEnd(w)}${r.support}${r.note ? ` (${r.note})` : ""}`);
  const impl = rows.filter((r) => r.where !== "ENOSYS").length;
  lines.push("", `${impl} implemented${opts.all ? `, ${rows.length - impl} ENOSYS` : ""}; other numbers return ENOSYS (see --all)`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
