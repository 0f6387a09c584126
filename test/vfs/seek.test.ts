// lseek's whence values on a file with a size (generic_file_llseek_size): SEEK_DATA and
// SEEK_HOLE as a file system without holes answers them.

import { describe, expect, it } from "vitest";
import { OpenFile, seekWithSize } from "../../src/kernel/fs/file.ts";

const EINVAL = -22, ENXIO = -6;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

describe("seekWithSize", () => {
  const f = new OpenFile({ stat: () => -1 } as never, 0, "/f");
  f.pos = 5;

  it("SEEK_SET, SEEK_CUR, SEEK_END; a negative result is EINVAL", () => {
    expect(seekWithSize(f, 7, SEEK_SET, 10)).toBe(7);
    expect(seekWithSize(f, 2, SEEK_CUR, 10)).toBe(7);
    expect(seekWithSize(f, -3, SEEK_END, 10)).toBe(7);
    expect(seekWithSize(f, -11, SEEK_END, 10)).toBe(EINVAL);
    expect(seekWithSize(f, 0, 5, 10)).toBe(EINVAL);
  });

  it("SEEK_DATA is the offset itself and SEEK_HOLE the end, inside the file; ENXIO at or past the end", () => {
    expect(seekWithSize(f, 0, SEEK_DATA, 3)).toBe(0);
    expect(seekWithSize(f, 2, SEEK_DATA, 3)).toBe(2);
    expect(seekWithSize(f, 0, SEEK_HOLE, 3)).toBe(3);
    expect(seekWithSize(f, 3, SEEK_DATA, 3)).toBe(ENXIO);
    expect(seekWithSize(f, 3, SEEK_HOLE, 3)).toBe(ENXIO);
    expect(seekWithSize(f, -1, SEEK_DATA, 3)).toBe(ENXIO);
  });
});
