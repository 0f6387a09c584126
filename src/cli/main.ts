// sysemu's command line. Each command imports its implementation lazily so that `sysemu run`
// does not pay for the inspectors (and vice versa).

import { Command, InvalidArgumentError, Option } from "commander";
import { EXIT_USAGE, reportError } from "../util/errors.ts";
import { sniffWasmFile } from "../wasm/detect.ts";

const collect = (v: string, prev: string[]) => [...prev, v];
const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
};
const ownerSpec = (v: string) => {
  const m = /^(\d+)(?::(\d+))?$/.exec(v);
  if (!m) throw new InvalidArgumentError("expected UID or UID:GID");
  return { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
};
// --memory SIZE: bytes, or a number with K, M or G (binary units, as qemu's -m)
const memSize = (v: string) => {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(v);
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m?.[2] ?? "").toUpperCase()];
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!(n >= 16 * 1024 ** 2 && n <= 2 * 1024 ** 3)) throw new InvalidArgumentError("expected a size from 16M to 2G (e.g. 256M, 2G)");
  return n;
};
const seconds = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError("expected a positive number of seconds");
  return n;
};

/** Options shared by every command that execs a program. */
function execOptions(cmd: Command): Command {
  return cmd
    .option("--sysroot <dir>", "where PT_INTERP (the dynamic loader) and its libraries are found")
    .option("--env <K=V>", "set a variable in the guest environment (repeatable)", collect, [])
    .option("--unset <K>", "remove a variable from the guest environment (repeatable)", collect, [])
    .option("--clear-env", "start the guest with an empty environment")
    .option("--aslr", "randomize the stack, mmap base, PIE and brk as Linux does (off by default)")
    .option("--seed <n>", "seed the kernel's random source (AT_RANDOM, getrandom, ASLR) for reproducible runs", int)
    .option("--uid <n>", "the user id the program runs as (default: yours)", int)
    .option("--gid <n>", "the group id the program runs as (default: yours)", int);
}

const program = new Command();
program
  .name("sysemu")
  .description("A user-mode Linux kernel emulator: runs riscv64 Linux programs and shows what the kernel hands them")
  .version("0.1.0")
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride((err) => {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") process.exit(0);
    process.exit(EXIT_USAGE);
  });

execOptions(program.command("run").argument("<prog>").argument("[args...]"))
  .description("run a riscv64 Linux program, or a WebAssembly module or component (WASI)")
  .passThroughOptions()
  .option("--strace", "trace system calls in strace(1)'s format on stderr; --strace=FILE writes them to FILE")
  .addOption(new Option("--strace-to <file>").hideHelp())
  .option("--max-insns <n>", "stop the guest after N instructions (exit status 124)", int)
  .option("--memory <size>", "the guest's physical memory, e.g. 256M or 2G (default 2G): past it, the OOM killer", memSize)
  .option("--no-jit", "no WebAssembly translation tier: hot code goes to the JavaScript block compiler (as SYSEMU_JIT=off)")
  .option("--timeout <seconds>", "stop the guest after this much wall time (exit status 124)", seconds)
  .option("--stats", "print instructions, system calls, MIPS and wall time to stderr at exit")
  .option("--dmesg", "print the kernel log (printk) to stderr after the run")
  .option("--no-hello", "build the kernel without sys_hello/sys_hello2 (CONFIG_HELLO_SYSCALL=n): they return ENOSYS")
  .option("--syscalls <file>", "load plug-in system calls from a .ts or .js file (repeatable)", collect, [])
  .option("--kernel-patch <file>", "compile the system calls a kernel patch (git format-patch or diff) adds and run them as this kernel's, sandboxed (repeatable; needs clang and lld)", collect, [])
  .option("--kmod-report <file>", "with --kernel-patch: write every call of the patch's system calls (user accesses, result) and the user-memory findings to FILE as JSON")
  .option("--wait-all", "keep running until every process has exited (by default the run ends when the first program has and nobody else holds sysemu's stdout or stderr)")
  .option("--ptree", "print the process tree (pid, ppid, pgid, sid, tty, state, command) to stderr at exit, like ps -ejH")
  .option("--max-tasks <n>", "the most tasks (processes and threads) that may exist: fork fails with EAGAIN beyond (default 512)", int)
  .option("--file-owner <uid[:gid]>", "files the host user owns appear owned by this guest uid (and gid): in stat, and for exec's set-user-ID bits", ownerSpec)
  .option("--root <dir>", "confine the guest below DIR: it sees DIR as / (default: the host's /, as qemu-user)")
  .option("--ro", "mount the root directory read-only: every change to it fails with EROFS")
  .option("--dir <dir[:name]>", "WebAssembly guests: preopen DIR (a guest path) under NAME, default DIR (repeatable; / is always fd 3)", collect, [])
  .option("--exit-status", "exit with 128+N when the guest dies of signal N, instead of dying of it")
  .action(async (prog: string, args: string[], { exitStatus, ...rest }) => {
    // as natively (and as qemu-user): a guest killed by a signal kills sysemu with it
    const opts = { ...rest, dieOfSignal: !exitStatus };
    // A WebAssembly binary (core module or component) runs on the same kernel without the ELF loader
    if (sniffWasmFile(prog)) {
      const { runWasmCommand } = await import("../wasm/run.ts");
      const { syscallTable } = await import("./table.ts");
      process.exitCode = await runWasmCommand(prog, args, { ...opts, table: await syscallTable(opts) });
      return;
    }
    const { runCommand } = await import("./run.ts");
    process.exitCode = await runCommand(prog, args, opts);
  });

execOptions(program.command("auxv").argument("<prog>").argument("[args...]"))
  .description("print the auxiliary vector exec builds for PROG, in glibc's LD_SHOW_AUXV format")
  .passThroughOptions()
  .option("--json", "print JSON instead")
  .option("--glibc <flavor>", "match the LD_SHOW_AUXV format of glibc '2.36' (Debian 12) or 'later'", "2.36")
  .action(async (prog: string, args: string[], opts) => {
    const { auxvCommand } = await import("./inspect.ts");
    process.exitCode = await auxvCommand(prog, args, opts);
  });

execOptions(program.command("stack").argument("<prog>").argument("[args...]"))
  .description("draw the initial stack exec builds for PROG, from sp upward")
  .passThroughOptions()
  .option("--json", "print JSON instead")
  .action(async (prog: string, args: string[], opts) => {
    const { stackCommand } = await import("./inspect.ts");
    process.exitCode = await stackCommand(prog, args, opts);
  });

program.command("syscalls")
  .description("print the system call table: number, name, where it is implemented, or ENOSYS")
  .option("--no-hello", "as `run --no-hello`")
  .option("--syscalls <file>", "include plug-in system calls from FILE (repeatable)", collect, [])
  .option("--arch <arch>", "the architecture's table: riscv64 (default) or x86_64")
  .option("--all", "also list the architecture's numbers sysemu does not implement (ENOSYS)")
  .option("--json", "print JSON instead")
  .action(async (opts) => {
    const { syscallsCommand } = await import("./syscalls.ts");
    process.exitCode = await syscallsCommand(opts);
  });

program.command("vdso")
  .description("list the vDSO's symbols with versions and addresses")
  .option("--dump <file>", "write the vDSO image to FILE")
  .option("--arch <arch>", "the architecture's vDSO: riscv64 (default) or x86_64")
  .option("--json", "print JSON instead")
  .action(async (opts) => {
    const { vdsoCommand } = await import("./inspect.ts");
    process.exitCode = await vdsoCommand(opts);
  });

program.command("grade")
  .argument("<spec>", "the assignment's spec.yaml")
  .description("grade students' kernel patches (or TypeScript plug-ins) against an assignment's spec")
  .option("--submission <dir>", "grade one submission directory (a patch, user-space *.c, README)")
  .option("--submissions <dir>", "grade every subdirectory of DIR, in parallel workers")
  .option("--format <format>", "gradescope, prairielearn, junit or text", "text")
  .option("--out <path>", "write the results to FILE (with --submissions: one file per student in DIR)")
  .option("--seed <n>", "seed every random source: the same submission and seed give byte-identical results", int)
  .option("--jobs <n>", "parallel workers for --submissions (default: one per core)", int)
  .option("--cache <dir>", "where compiled patches and user programs are kept (default ~/.cache/sysemu)")
  .action(async (spec: string, opts) => {
    const { gradeCommand } = await import("../grade/command.ts");
    process.exitCode = await gradeCommand(spec, opts);
  });

// The grader's own processes: a worker thread of --submissions, and the plug-in sandbox.
program.command("grade-worker", { hidden: true }).action(async () => {
  const { workerMain } = await import("../grade/pool.ts");
  process.exitCode = await workerMain();
});
program.command("grade-sandbox", { hidden: true }).action(async () => {
  const { sandboxMain } = await import("../grade/sandbox-child.ts");
  process.exitCode = await sandboxMain();
});

/**
 * `--strace=FILE` must not swallow the program name the way an optional option value would
 * (`--strace prog`), so the `=` form is rewritten before commander sees it.
 */
function rewriteArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (a.startsWith("--strace=")) out.push("--strace-to", a.slice("--strace=".length));
    else out.push(a);
  }
  return out;
}

// Exit as soon as the command is done: the guest's output is written synchronously, and a
// natural exit would first run whatever the platform has queued (a scavenge, for one).
program
  .parseAsync(rewriteArgv(process.argv))
  .catch((err: unknown) => {
    process.exitCode = reportError(err);
  })
  .finally(() => process.exit());
