import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run.ts";
import { shellStatus, sysemu } from "./helpers.ts";

const expected = (f: string) => readFileSync(`samples/expected/${f}`, "utf8");

describe("sys_hello (400)", () => {
  it("prints the seed's success line", () => {
    const r = sysemu(["run", "samples/riscv64/sys_hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Invoke SYS_hello (400) demo system call...\nsuccess, the result is: "Hello from kernel!"\n');
  });

  it("gives EINVAL for a short len and EFAULT for unmapped, read-only and edge buffers", () => {
    const r = sysemu(["run", "samples/riscv64/sys_hello", "all"]);
    expect(r.stdout).toBe(expected("sys_hello_all.out"));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("is gone with --no-hello, as in a kernel built without CONFIG_HELLO_SYSCALL", () => {
    const r = sysemu(["run", "--no-hello", "samples/riscv64/sys_hello"]);
    expect(r.stdout).toContain("failed, Function not implemented (38)");
  });

  it("shows hello(...) in strace", () => {
    const r = sysemu(["run", "--strace", "samples/riscv64/sys_hello"]);
    expect(r.stderr).toMatch(/^hello\(0x[0-9a-f]+, 64\) += 0$/m);
  });
});

describe("sys_hello2 (401)", () => {
  it("counts calls, returns fresh random data, and gives EFAULT for bad in, out and name", () => {
    const r = sysemu(["run", "samples/riscv64/sys_hello2", "all"]);
    expect(r.stdout).toBe(expected("sys_hello2_all.out"));
    expect(r.status).toBe(0);
  });

  it("numbers calls 1, 2, 3 and is reproducible under --seed", () => {
    const a = sysemu(["run", "--seed", "1", "samples/riscv64/sys_hello2"]);
    const b = sysemu(["run", "--seed", "1", "samples/riscv64/sys_hello2"]);
    const c = sysemu(["run", "--seed", "2", "samples/riscv64/sys_hello2"]);
    expect(a.stdout.match(/nr_calls = \d/g)).toEqual(["nr_calls = 1", "nr_calls = 2", "nr_calls = 3"]);
    const rand = a.stdout.match(/rand_data = .*/g)!;
    expect(new Set(rand).size).toBe(3);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it("under --seed, --dmesg is reproducible too: the log's clock counts retired instructions", () => {
    const a = sysemu(["run", "--seed", "1", "--dmesg", "samples/riscv64/sys_hello2"]);
    const b = sysemu(["run", "--seed", "1", "--dmesg", "samples/riscv64/sys_hello2"]);
    expect(a.stderr).toMatch(/\[ +\d+\.\d{6}\] __do_sys_hello2: sys_hello2\(name : sysemu/);
    expect(b.stderr).toBe(a.stderr);
    expect(b.stdout).toBe(a.stdout);
  });

  it("logs the seed's line to the kernel log (--dmesg) and strace decodes its structs", () => {
    const r = sysemu(["run", "--dmesg", "--strace", "samples/riscv64/sys_hello2"]);
    expect(r.stderr).toMatch(/^\[ *\d+\.\d{6}\] __do_sys_hello2: sys_hello2\(name : \S+, len : \d+, val : \d+$/m);
    expect(r.stderr).toMatch(/^hello2\(\{name="[^"]*", len=\d+, val=\d+\}, \{nr_calls=1, rand_data=\[0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\]\}\) = 0$/m);
  });
});

describe("the kernel log", () => {
  it("is read from /dev/kmsg as level,seq,usec,-;text records", () => {
    const r = sysemu(["run", "samples/riscv64/kmsg"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^5,0,\d+,-;Linux version 6\.12\.0-sysemu/m);
    expect(r.stdout).toMatch(/stopped at EAGAIN/);
  });

  it("is read by the dmesg sample through syslog(2)", () => {
    const r = sysemu(["run", "samples/riscv64/dmesg"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Linux version 6\.12\.0-sysemu/);
  });
});

describe("plug-in system calls", () => {
  it("runs a TypeScript plug-in's call and lists it in `sysemu syscalls`", () => {
    const r = sysemu(["run", "--syscalls", "samples/plugins/hello3.ts", "--strace", "samples/riscv64/hello3", "Ada"]);
    expect(r.stdout).toBe("Hello, Ada, from a plug-in! (27 bytes)\n");
    expect(r.stderr).toMatch(/^hello3\("Ada", 0x[0-9a-f]+, 128\) += 27$/m);
    const t = sysemu(["syscalls", "--syscalls", "samples/plugins/hello3.ts"]).stdout;
    expect(t).toMatch(/^1000  hello3 +samples\/plugins\/hello3\.ts +full$/m);
    expect(t).toMatch(/^ 400  hello +syscalls\/hello\.ts/m);
  });

  it("refuses a plug-in that takes another plug-in's number", () => {
    const r = sysemu(["run", "--syscalls", "test/fixtures/plugins/oops.ts", "--syscalls", "samples/plugins/hello3.ts", "samples/riscv64/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("sysemu: samples/plugins/hello3.ts: hello3 wants number 1000, which is hello3 from test/fixtures/plugins/oops.ts\n");
  });

  it("refuses a built-in's number, and lets a plug-in take 400 with --no-hello", () => {
    const r = sysemu(["run", "--syscalls", "test/fixtures/plugins/course-nr.ts", "samples/riscv64/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("sysemu: test/fixtures/plugins/course-nr.ts: my_hello wants number 400, which is hello from syscalls/hello.ts\n");
    const ok = sysemu(["syscalls", "--no-hello", "--syscalls", "test/fixtures/plugins/course-nr.ts"]);
    expect(ok.stdout).toMatch(/^ 400  my_hello +test\/fixtures\/plugins\/course-nr\.ts/m);
  });

  it("refuses a number Linux keeps, in one line naming the plug-in and the call", () => {
    const r = sysemu(["run", "--syscalls", "test/fixtures/plugins/linux-nr.ts", "samples/riscv64/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("sysemu: test/fixtures/plugins/linux-nr.ts: squatter: 402 is reserved for Linux; plug-ins take 1000..1999 (or 400/401 with --no-hello)\n");
  });

  it("refuses an unknown argument kind, naming the plug-in, the call and the kind", () => {
    const r = sysemu(["run", "--syscalls", "test/fixtures/plugins/bad-kind.ts", "samples/riscv64/hello"]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(2); // one line
    expect(r.stderr).toMatch(/^sysemu: test\/fixtures\/plugins\/bad-kind\.ts: typo: unknown argument kind 'prt' /);
  });

  it("reports a throwing plug-in as an oops: logged, the task killed, the emulator alive", async () => {
    const r = sysemu(["run", "--dmesg", "--syscalls", "test/fixtures/plugins/oops.ts", "samples/riscv64/hello3"]);
    expect(shellStatus(r)).toBe(139); // SIGSEGV: sysemu dies of it, or exits 128+11 (ulimit -c)
    expect(r.stderr).toMatch(/^sysemu: samples\/riscv64\/hello3: killed by an oops in system call hello3 \(test\/fixtures\/plugins\/oops\.ts\): TypeError/m);
    expect(r.stderr).toMatch(/Oops: TypeError: .* \[#1\]/);
    expect(r.stderr).toMatch(/Call Trace:/);
    // the same process goes on to run more programs
    const first = await runCommand("samples/riscv64/hello3", [], { syscalls: ["test/fixtures/plugins/oops.ts"] });
    const second = await runCommand("samples/riscv64/exit42", [], {});
    expect([first, second]).toEqual([139, 42]);
  });

  it("lists unimplemented riscv64 numbers as ENOSYS with --all", () => {
    const t = sysemu(["syscalls", "--all", "--no-hello"]).stdout;
    expect(t).toMatch(/^ 435  clone3 +ENOSYS|^ 435  clone3 +syscalls\//m);
    expect(t).not.toMatch(/^ 400 /m);
  });
});
