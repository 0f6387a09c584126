import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { haveSysroot, shellStatus, SYSROOT, sysemu } from "./helpers.ts";

describe("sysemu run", () => {
  it("runs a static glibc program and returns its exit status", () => {
    expect(sysemu(["run", "samples/riscv64/hello"])).toMatchObject({ status: 0, stdout: "Hello, world!\n", stderr: "" });
    expect(sysemu(["run", "samples/riscv64/exit42"]).status).toBe(42);
    expect(sysemu(["run", "samples/riscv64/hello_asm"]).stdout).toBe("Hello from assembly!\n");
  });

  it("passes the host environment, edited by --env, --unset and --clear-env", () => {
    const env = { ...process.env, HOME: "/home/x", LANG: "C" };
    const r = sysemu(["run", "--unset", "HOME", "--env", "SYSEMU_SAMPLE=7", "samples/riscv64/args_env", "a", "--b"], { env });
    expect(r.stdout).toContain("argv[2] = \"--b\"");
    expect(r.stdout).toMatch(/SYSEMU_SAMPLE=7|SYSEMU_SAMPLE = "7"/);
    expect(r.stdout).not.toContain("/home/x");
    const clear = sysemu(["run", "--clear-env", "samples/riscv64/args_env"], { env });
    expect(clear.stdout).not.toContain("LANG=C");
  });

  it("runs a program whose section header table is damaged, as Linux (which never reads it) does", () => {
    const bytes = readFileSync("samples/riscv64/hello");
    const damaged = Buffer.from(bytes);
    damaged.writeBigUInt64LE(BigInt(bytes.length + 100_000), 0x28); // e_shoff past the end of the file
    const f = join(mkdtempSync(join(tmpdir(), "sysemu-e2e-shdr-")), "hello");
    writeFileSync(f, damaged, { mode: 0o755 });
    const r = sysemu(["run", f]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Hello, world!\n");
  });

  it("dies of SIGPIPE, quietly as under a shell, when the reader of its stdout pipe goes away (prog | head)", () => {
    const r = spawnSync("bash", ["-c", `"${process.execPath}" bin/sysemu run test/proc/fixtures/yes | head -1; echo "status=\${PIPESTATUS[0]}"`], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toBe("y\nstatus=141\n");
    expect(r.stderr).toBe("");
  });

  it("copies stdin through", () => {
    expect(sysemu(["run", "samples/riscv64/cat_stdin"], { input: "abc\ndef" }).stdout).toBe("abc\ndef");
  });

  it("reports a NULL write as SIGSEGV with the fault address, a shell's 139", () => {
    const r = sysemu(["run", "samples/riscv64/segv"]);
    expect(shellStatus(r)).toBe(139);
    expect(r.stderr).toBe("sysemu: samples/riscv64/segv: terminated by SIGSEGV (fault address 0x0)\n");
  });

  it("reports an illegal instruction as SIGILL, a shell's 132", () => {
    const r = sysemu(["run", "samples/riscv64/sigill"]);
    expect(shellStatus(r)).toBe(132);
    expect(r.stderr).toBe("sysemu: samples/riscv64/sigill: terminated by SIGILL\n");
  });

  it("stops a runaway guest with --timeout and --max-insns (exit 124)", () => {
    const t = sysemu(["run", "--timeout", "1", "samples/riscv64/loop"]);
    expect(t.status).toBe(124);
    expect(t.stderr).toMatch(/^sysemu: samples\/riscv64\/loop: stopped after --timeout 1 s/m);
    const m = sysemu(["run", "--max-insns", "100000", "samples/riscv64/loop"]);
    expect(m.status).toBe(124);
    expect(m.stderr).toMatch(/stopped after --max-insns 100000 instructions/);
  });

  it("prints strace lines in strace's format", () => {
    const r = sysemu(["run", "--strace", "samples/riscv64/hello"]);
    expect(r.stdout).toBe("Hello, world!\n");
    const lines = r.stderr.split("\n");
    expect(lines).toContain('write(1, "Hello, world!\\n", 14)         = 14');
    expect(lines).toContain("exit_group(0)                           = ?");
    expect(lines).toContain("+++ exited with 0 +++");
    expect(r.stderr).toMatch(/^brk\(NULL\) {31}= 0x[0-9a-f]+$/m);
    // strace cuts strings at 32 bytes with `"..."...`: the path depends on where the tree is
    expect(r.stderr).toMatch(/^readlinkat\(AT_FDCWD, "\/proc\/self\/exe", "[^"]*"(\.\.\.)?, 4096\) = \d+$/m);
  });

  it("shows errors as -1 ERRNO (text) and signals as strace does", () => {
    const seg = sysemu(["run", "--strace", "samples/riscv64/segv"]).stderr;
    expect(seg).toContain("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---");
    expect(seg).toContain("+++ killed by SIGSEGV +++");
    const dyn = sysemu(["run", "--strace", "--sysroot", SYSROOT, "samples/riscv64/dyn/hello"]).stderr;
    if (haveSysroot) expect(dyn).toMatch(/^faccessat\(AT_FDCWD, "\/etc\/ld.so.preload", R_OK\) = -1 ENOENT \(No such file or directory\)$/m);
  });

  it("writes the trace to a file with --strace=FILE", () => {
    const file = join(mkdtempSync(join(tmpdir(), "sysemu-")), "trace");
    const r = sysemu(["run", `--strace=${file}`, "samples/riscv64/hello"]);
    expect(r.stderr).toBe("");
    expect(readFileSync(file, "utf8")).toContain("+++ exited with 0 +++");
  });

  it("lets glibc use the vDSO: 1000 clock_gettime calls make no clock_gettime syscall", () => {
    const r = sysemu(["run", "--strace", "samples/riscv64/clock_loop"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("ok\n");
    expect(r.stderr).not.toContain("clock_gettime");
  });

  it("prints the auxv for LD_SHOW_AUXV=1 before a static program, and lets ld.so do it for a dynamic one", () => {
    const st = sysemu(["run", "--env", "LD_SHOW_AUXV=1", "samples/riscv64/hello"]);
    expect(st.stdout).toMatch(/^AT_SYSINFO_EHDR: +0x[0-9a-f]+\n/);
    expect(st.stdout.endsWith("Hello, world!\n")).toBe(true);
    if (haveSysroot) {
      const dyn = sysemu(["run", "--env", "LD_SHOW_AUXV=1", "--sysroot", SYSROOT, "samples/riscv64/dyn/hello"]);
      expect(dyn.stdout.match(/^AT_PAGESZ:/gm)).toHaveLength(1);
      expect(dyn.stdout.endsWith("Hello, world!\n")).toBe(true);
      // ld.so run as the program has no PT_INTERP either, but prints the auxv itself: once
      const ldso = sysemu(["run", "--env", "LD_SHOW_AUXV=1", "--sysroot", SYSROOT, `${SYSROOT}/lib/ld-linux-riscv64-lp64d.so.1`, "samples/riscv64/dyn/hello"]);
      expect(ldso.stdout.match(/^AT_PAGESZ:/gm)).toHaveLength(1);
      expect(ldso.stdout.endsWith("Hello, world!\n")).toBe(true);
    }
  });

  it.runIf(haveSysroot)("takes a dynamic program's interpreter and libraries from inside --root", () => {
    const root = mkdtempSync(join(tmpdir(), "sysemu-root-"));
    mkdirSync(join(root, "lib"));
    for (const f of ["ld-linux-riscv64-lp64d.so.1", "libc.so.6"]) copyFileSync(`${SYSROOT}/lib/${f}`, join(root, "lib", f));
    const r = sysemu(["run", "--root", root, "samples/riscv64/dyn/hello"]);
    expect(r).toMatchObject({ status: 0, stdout: "Hello, world!\n" });
    const empty = sysemu(["run", "--root", mkdtempSync(join(tmpdir(), "sysemu-root-")), "samples/riscv64/dyn/hello"]);
    expect(empty.status).toBe(126);
    expect(empty.stderr).toMatch(/cannot load interpreter/);
  });

  it("prints instructions, MIPS and syscalls with --stats", () => {
    const r = sysemu(["run", "--stats", "samples/riscv64/hello"]);
    expect(r.stderr).toMatch(/^sysemu: \d+ instructions in [\d.]+ s: [\d.]+ MIPS$/m);
    expect(r.stderr).toMatch(/^ +1 +write$/m);
  });

  it("says when the program is missing (127) or options are bad (2)", () => {
    expect(sysemu(["run", "nope"])).toMatchObject({ status: 127, stderr: "sysemu: nope: No such file or directory\n" });
    expect(sysemu(["run", "--max-insns", "x", "samples/riscv64/hello"]).status).toBe(2);
  });
});
