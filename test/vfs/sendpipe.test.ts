// sendfile into a pipe smaller than the file (syscalls/read_write.ts copyBetween with
// pipeWriteRoom): the copy takes from the file only what the pipe accepts, so a wait for room
// loses nothing. It used to read 1 MiB, put 64 KiB in the pipe, wait, and on its rerun find the
// file at its end: 0 bytes sent, `tar -czf` said "short read".

import { describe, expect, it } from "vitest";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = "sendfile: 1048576 bytes, offset 1048576\nreader: 1048576 bytes, same\n";

describe("sendfile into a pipe", () => {
  it("every byte arrives once, and the file offset moves by what was sent", () => {
    const r = runSysemu("sendpipe", scratch("sysemu-sendpipe-"));
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });
  it.runIf(haveQemu)("as Linux", () => {
    expect(runQemu("sendpipe", scratch("qemu-sendpipe-")).stdout).toBe(EXPECTED);
  });
});
