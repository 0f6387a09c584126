// Parses `readelf --dyn-syms -W` output, to cross-check the reader against binutils.

import { execFileSync } from "node:child_process";

export interface ReadelfSymbol {
  num: number;
  value: bigint;
  size: bigint;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
  name: string;
  version: string | null;
  /** "@@" for a default version, "@" for a hidden one or a requirement, "" without a version. */
  sep: "" | "@" | "@@";
}

/** Finds a readelf binary (any binutils readelf reads any ELF class and byte order), or null. */
export function findReadelf(): string | null {
  for (const tool of ["riscv64-linux-gnu-readelf", "readelf"]) {
    try {
      execFileSync(tool, ["--version"], { stdio: "ignore" });
      return tool;
    } catch {
      // try the next one
    }
  }
  return null;
}

const LINE = /^\s*(\d+): ([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(?:\[[^\]]*\]\s+)?(\S+)(?: (.*))?$/;

/** Runs `readelf --dyn-syms -W file` and returns its symbols in table order. */
export function readelfDynSyms(tool: string, file: string): ReadelfSymbol[] {
  const out = execFileSync(tool, ["--dyn-syms", "-W", file], { encoding: "utf8", maxBuffer: 64 << 20 });
  const syms: ReadelfSymbol[] = [];
  for (const line of out.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    // "puts@GLIBC_2.27 (4)": the trailing number is the version index.
    const full = (m[8] ?? "").replace(/ \(\d+\)$/, "");
    const at = full.indexOf("@");
    const sep = at < 0 ? "" : full.startsWith("@@", at) ? "@@" : "@";
    syms.push({
      num: Number(m[1]),
      value: BigInt("0x" + m[2]),
      size: BigInt(m[3]),
      type: m[4],
      bind: m[5],
      vis: m[6],
      ndx: m[7],
      name: at < 0 ? full : full.slice(0, at),
      version: at < 0 ? null : full.slice(at + sep.length),
      sep,
    });
  }
  return syms;
}
