// AF_UNIX sockets end to end: the same programs under sysemu and qemu-riscv64 (Linux's own
// behaviour) where it is installed, and against the recorded output otherwise.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "../e2e/helpers.ts";

const QEMU = have("qemu-riscv64");
const FIX = "test/ipc/fixtures";

function expected(name: string): string {
  return readFileSync(`${FIX}/${name}.expected`, "utf8");
}

describe("AF_UNIX sockets", () => {
  it("socketpair between parent and child: stream, datagram, seqpacket, SCM_RIGHTS, options, poll, EPIPE", () => {
    const got = sysemu(["run", `${FIX}/sockpair`]);
    expect(got.stderr).toBe("");
    expect(got.stdout).toBe(expected("sockpair"));
    if (QEMU) expect(got.stdout).toBe(qemu([`${FIX}/sockpair`]).stdout);
  });

  it("a forked client and server over a path and an abstract name", () => {
    const run = (runner: typeof sysemu) => {
      const d = mkdtempSync(join(tmpdir(), "sysemu-ipc-"));
      const r = runner === sysemu ? sysemu(["run", `${FIX}/unixsrv`, `${d}/srv.sock`, "sysemu-ipc-test"]) : qemu([`${FIX}/unixsrv`, `${d}/srv.sock`, "sysemu-ipc-test"]);
      return { ...r, stdout: r.stdout.split(d).join("$D") };
    };
    const got = run(sysemu);
    expect(got.stderr).toBe("");
    expect(got.status).toBe(0);
    expect(got.stdout).toBe(expected("unixsrv"));
    if (QEMU) expect(got.stdout).toBe(run(qemu).stdout);
  });

  it("families other than AF_UNIX are EAFNOSUPPORT, and the calls show in strace", () => {
    const r = sysemu(["run", "--strace", `${FIX}/sockpair`]);
    expect(r.stderr).toMatch(/^socketpair\(AF_UNIX, SOCK_STREAM, 0, \[3, 4\]\) += 0$/m);
    expect(r.stderr).toMatch(/^sendmsg\(3, \{msg_name=NULL, msg_namelen=0, msg_iov=\[\{iov_base="x", iov_len=1\}\], msg_iovlen=1, msg_controllen=24, msg_flags=0\}, 0\) += 1$/m);
    expect(r.stderr).toMatch(/send(to)?\(3, "q", 1, MSG_NOSIGNAL(, NULL, 0)?\) += -1 EPIPE/m);
  });
});
