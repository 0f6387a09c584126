// getdents64: real d_ino and d_type, "." and "..", cookies (d_off) that lseek accepts, stable
// cookies on tmpfs while entries come and go, and mount points listed where they are.

import { lstatSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Task } from "../../src/kernel/proc/task.ts";
import { sys_getdents64 } from "../../syscalls/fs.ts";
import { sys_lseek } from "../../syscalls/read_write.ts";
import { buf, call, peek } from "./helpers.ts";
import { O, open, setup, unlink } from "./setup.ts";

interface Ent { ino: bigint; off: bigint; type: number; name: string }

/** One getdents64 call's records. */
function getdents(t: Task, fd: number, size = 4096): Ent[] | number {
  const p = buf(t, size);
  const n = call(t, sys_getdents64, fd, p, size);
  if (n < 0) return n;
  const b = peek(t, p, n);
  const v = new DataView(b.buffer);
  const out: Ent[] = [];
  for (let at = 0; at < n; at += v.getUint16(at + 16, true)) {
    const end = b.indexOf(0, at + 19);
    out.push({ ino: v.getBigUint64(at, true), off: v.getBigInt64(at + 8, true), type: v.getUint8(at + 18), name: new TextDecoder().decode(b.subarray(at + 19, end)) });
  }
  return out;
}

describe("getdents64", () => {
  it("lists a host directory with its inodes and types, and . and ..", () => {
    const { t, root } = setup({ files: { "d/file": "x" }, dirs: ["d/sub"], links: { "d/lnk": "file" } });
    const ents = getdents(t, open(t, "/d", O.RDONLY | O.DIRECTORY)) as Ent[];
    const byName = Object.fromEntries(ents.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual([".", "..", "file", "lnk", "sub"]);
    expect(byName.file!.ino).toBe(BigInt(lstatSync(`${root}/d/file`).ino));
    expect(byName["."]!.ino).toBe(BigInt(lstatSync(`${root}/d`).ino));
    expect(byName[".."]!.ino).toBe(BigInt(lstatSync(root).ino));
    expect([byName.file!.type, byName.lnk!.type, byName.sub!.type]).toEqual([8, 10, 4]);
  });

  it("returns 0 at the end, and lseek to a d_off resumes after that entry", () => {
    const { t } = setup({ files: Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`d/f${i}`, ""])), dirs: ["d"] });
    const fd = open(t, "/d", O.RDONLY);
    const all = getdents(t, fd) as Ent[];
    expect(all).toHaveLength(7);
    expect(getdents(t, fd)).toEqual([]);
    expect(call(t, sys_lseek, fd, Number(all[2]!.off), 0)).toBe(Number(all[2]!.off));
    expect((getdents(t, fd) as Ent[]).map((e) => e.name)).toEqual(all.slice(3).map((e) => e.name));
  });

  it("reads a big directory in several calls with a small buffer, each entry once", () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`big/file-with-a-longish-name-${i}`, ""]));
    const { t } = setup({ files, dirs: ["big"] });
    const fd = open(t, "/big", O.RDONLY);
    const names: string[] = [];
    for (let e = getdents(t, fd, 200) as Ent[]; e.length; e = getdents(t, fd, 200) as Ent[]) names.push(...e.map((x) => x.name));
    expect(names).toHaveLength(42);
    expect(new Set(names).size).toBe(42);
  });

  it("keeps tmpfs cookies stable: removing an entry does not skip or repeat the others", () => {
    const { t } = setup();
    for (const n of ["a", "b", "c", "d"]) open(t, `/dev/shm/${n}`, O.CREAT | O.RDWR);
    const fd = open(t, "/dev/shm", O.RDONLY);
    const first = getdents(t, fd, 24 * 3 + 8) as Ent[]; // ".", "..", "a"
    expect(first.map((e) => e.name)).toEqual([".", "..", "a"]);
    expect(unlink(t, "/dev/shm/a")).toBe(0);
    expect(unlink(t, "/dev/shm/c")).toBe(0);
    expect((getdents(t, fd) as Ent[]).map((e) => e.name)).toEqual(["b", "d"]);
  });

  it("lists /proc and /dev under a root that has neither", () => {
    const { t } = setup({ dirs: ["etc"] });
    const names = (getdents(t, open(t, "/", O.RDONLY)) as Ent[]).map((e) => e.name).sort();
    expect(names).toEqual([".", "..", "dev", "etc", "proc"]);
  });

  it("lists /proc with self and the pids of processes", () => {
    const { t } = setup();
    const names = (getdents(t, open(t, "/proc", O.RDONLY)) as Ent[]).map((e) => e.name);
    expect(names).toContain("self");
    expect(names).toContain(String(t.pid));
    expect(names).toContain("cpuinfo");
  });

  it("lists /proc/self/fd with the open descriptors", () => {
    const { t } = setup({ files: { f: "" } });
    const a = open(t, "/f", O.RDONLY);
    const fd = open(t, "/proc/self/fd", O.RDONLY);
    expect((getdents(t, fd) as Ent[]).map((e) => e.name)).toEqual([".", "..", String(a), String(fd)]);
  });

  it("symlinks to directories are listed as links (DT_LNK)", () => {
    const { t } = setup({ dirs: ["x"], links: { up: "/" } });
    const up = (getdents(t, open(t, "/", O.RDONLY)) as Ent[]).find((e) => e.name === "up");
    expect(up?.type).toBe(10);
  });
});
