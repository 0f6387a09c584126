// File names that are not UTF-8 (src/kernel/vfs/filename.ts): the bytes a guest names a file
// with are the bytes readdir, readlink and getcwd give back, and the bytes the host stores. A
// UTF-8 decode had made each bad byte U+FFFD, so BusyBox's "ls unicode test" saw "ef bf bd"
// three times where it had written one byte.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeName, encodeName } from "../../src/kernel/vfs/filename.ts";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = [
  "readdir+stat: 61 c0 af 62", "readdir+stat: 63 ff", "readdir+stat: 64 ed a0 80", "readdir+stat: 65 c3 a9",
  "readlink: 61 c0 af 62", "getcwd tail: 74 2f fe", "",
].join("\n");

describe("file names that are not UTF-8", () => {
  it("round trip through the codec, and valid UTF-8 decodes as Buffer does", () => {
    for (const hex of ["61c0af62", "ff", "eda080", "c3a9", "f09f9880", "e282", "f4908080", "c0", "", "2f2e2e"]) {
      const b = Buffer.from(hex, "hex");
      expect(encodeName(decodeName(b)).toString("hex")).toBe(hex);
    }
    expect(decodeName(Buffer.from("f09f9880c3a9", "hex"))).toBe("\u{1f600}é");
    expect(decodeName(Buffer.from("61ff", "hex"))).toBe("a\udcff");
  });
  it("keep their bytes in readdir, readlink, getcwd and on the host", () => {
    const dir = scratch("sysemu-badname-");
    const r = runSysemu("badname", dir);
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
    const host = readdirSync(join(dir, "t"), { encoding: "buffer" }).map((b) => b.toString("hex")).sort();
    expect(host).toEqual(["61c0af62", "63ff", "64eda080", "65c3a9", "6c", "fe"]);
  });
  it.runIf(haveQemu)("as Linux", () => {
    expect(runQemu("badname", scratch("qemu-badname-")).stdout).toBe(EXPECTED);
  });
});
