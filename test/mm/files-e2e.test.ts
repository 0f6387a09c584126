// Host files through the whole emulator, compared with qemu-riscv64 (the Linux kernel's own
// behaviour) where it is installed: stdin/stdout redirected from and to regular files are
// seekable and leave the shell's shared offset where Linux does, and MAP_SHARED mappings of
// files stay coherent with the file.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { have, shellStatus, sysemu } from "../e2e/helpers.ts";

const SEEK = "test/mm/fixtures/seekstdio";
const FILEMAP = "test/mm/fixtures/filemap";
const QEMU = have("qemu-riscv64");
const SYSEMU = `${process.execPath} bin/sysemu run`; // word-split by sh: no spaces in it

/** Runs a shell command line with $RUN standing for the runner; stdout and stderr merged. */
function sh(cmd: string, run: string, dir: string): string {
  const r = spawnSync("sh", ["-c", cmd], { cwd: process.cwd(), env: { ...process.env, RUN: run, D: dir }, encoding: "utf8", timeout: 60_000 });
  return r.stdout + r.stderr;
}

// Each line is run under both runners; stderr is merged only where the fixture prints its
// reports there (stdout being the file under test).
const STDIO = [
  `$RUN ${SEEK} in < $D/in.txt`,
  `$RUN ${SEEK} reopen < $D/in.txt`,
  `($RUN ${SEEK} line; cat) < $D/in.txt`,
  `echo abc | $RUN ${SEEK} pipe`,
  `printf 'prefix\\n' > $D/o1; ($RUN ${SEEK} out; echo shell) > $D/o1 2>$D/e1; cat $D/e1 $D/o1`,
  `printf 'prefix\\n' > $D/o2; ($RUN ${SEEK} out; echo shell) >> $D/o2 2>$D/e2; cat $D/e2 $D/o2`,
];

const STDIO_EXPECTED = [
  "lseek=3 read=4 'e on' cur=7\npread=2 'in' cur=7\nftell end=29\nfgets at 5: one\nftell=9\n",
  "fd 0: 4 'line'\n/dev/stdin: 4 'line'\n/proc/self/fd/0: 4 'line'\nfd 0 again: 4 ' one'\n",
  "first line: line one\nline two\nline three\n",
  "lseek=-1 Illegal seek\npread=-1 Illegal seek\nread=3\n",
  "start=0\nafter write=12\nseek=6\npwrite=1 end=12\nftell=22\nHello World\nvia stdio\nshell\n",
  "start=0\nafter write=19\nseek=13\npwrite=1 end=20\nftell=31\nprefix\nhello world\nWHvia stdio\nshell\n",
];

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "sysemu-files-"));
  writeFileSync(join(d, "in.txt"), "line one\nline two\nline three\n");
  return d;
}

describe("stdin and stdout redirected to regular files", () => {
  STDIO.forEach((cmd, i) => {
    it(`behaves as Linux: ${cmd.replace(/\$D\//g, "").slice(0, 60)}`, () => {
      const got = sh(cmd, SYSEMU, scratch());
      expect(got).toBe(STDIO_EXPECTED[i]);
      if (QEMU) expect(got).toBe(sh(cmd, "qemu-riscv64", scratch()));
    });
  });

  it("still copies a file on stdin through, and leaves the offset at its end", () => {
    const d = scratch();
    expect(sh(`($RUN samples/riscv64/cat_stdin; echo "rest: $(cat)") < $D/in.txt`, SYSEMU, d)).toBe("line one\nline two\nline three\nrest: \n");
  });
});

describe("MAP_SHARED file mappings", () => {
  const expected = readFileSync("test/mm/fixtures/filemap.expected", "utf8");

  it("are coherent with the file on a host directory, as on Linux", () => {
    const d = scratch();
    const r = sysemu(["run", FILEMAP], { env: { ...process.env, FILEMAP_DIR: d } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expected);
    expect(r.status).toBe(0);
    // the last stores reached the file at exit
    expect(readFileSync(join(d, "b.dat"), "latin1")).toBe("\0\0\0\0\0E".padEnd(4096, "\0"));
  });

  it("are coherent with the file on tmpfs (/dev/shm)", () => {
    const r = sysemu(["run", FILEMAP], { env: { ...process.env, FILEMAP_DIR: "/dev/shm" } });
    expect(r.stdout).toBe(expected);
  });

  it.runIf(QEMU)("match qemu-riscv64", () => {
    const d = scratch();
    const q = spawnSync("qemu-riscv64", [FILEMAP], { env: { ...process.env, FILEMAP_DIR: d }, encoding: "utf8" });
    expect(q.stdout).toBe(expected);
  });

  it("report an access past the end of the file as SIGBUS with BUS_ADRERR", () => {
    const d = scratch();
    writeFileSync(join(d, "short"), "x");
    const r = sysemu(["run", "--strace", FILEMAP], { env: { ...process.env, FILEMAP_DIR: d, FILEMAP_BUS: join(d, "short") } });
    expect(shellStatus(r)).toBe(135);
    expect(r.stderr).toMatch(/--- SIGBUS \{si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x[0-9a-f]+\} ---/);
    expect(r.stderr).toMatch(/terminated by SIGBUS \(fault address 0x[0-9a-f]+\)/);
  });
});
