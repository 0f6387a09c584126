import { describe, expect, it } from "vitest";
import { EFAULT } from "../../src/mm/errno.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_READ, PROT_WRITE, TASK_SIZE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";
import {
  access_ok,
  clear_user,
  copy_from_user,
  copy_to_user,
  get_user_u16,
  get_user_u32,
  get_user_u64,
  get_user_u8,
  put_user_u32,
  put_user_u64,
  put_user_u8,
  strncpy_from_user,
  strnlen_user,
} from "../../src/mm/uaccess.ts";

const RW = PROT_READ | PROT_WRITE;
const bytes = (s: string) => new TextEncoder().encode(s);

// Layout: [0x10000, 0x12000) RW, [0x12000, 0x13000) read-only, nothing at 0x13000.
function setup(): MM {
  const mm = new MM(new PhysMem(32 * 1024 * 1024));
  mm.mapFixed(0x10000, 0x2000, RW);
  mm.mapFixed(0x12000, 0x1000, PROT_READ);
  return mm;
}

describe("access_ok", () => {
  const mm = setup();
  it("accepts ranges up to the limit, including empty ones at it", () => {
    expect(access_ok(mm, 0, 0)).toBe(true);
    expect(access_ok(mm, TASK_SIZE - 8, 8)).toBe(true);
    expect(access_ok(mm, TASK_SIZE, 0)).toBe(true);
  });
  it("rejects overflow, ranges past the limit, negative and non-integer input", () => {
    expect(access_ok(mm, TASK_SIZE - 8, 9)).toBe(false);
    expect(access_ok(mm, TASK_SIZE + 1, 0)).toBe(false);
    expect(access_ok(mm, 2 ** 64 - 1, 2)).toBe(false);
    expect(access_ok(mm, 0x10000, 2 ** 64)).toBe(false);
    expect(access_ok(mm, -1, 1)).toBe(false);
    expect(access_ok(mm, Number.NaN, 1)).toBe(false);
    expect(access_ok(mm, 0.5, 1)).toBe(false);
    expect(access_ok(mm, 0x10000, -1)).toBe(false);
  });
});

describe("copy_to_user / copy_from_user", () => {
  it("round-trips across a page boundary", () => {
    const mm = setup();
    const data = bytes("hello, world");
    expect(copy_to_user(mm, 0x10ffa, data)).toBe(0);
    const back = new Uint8Array(data.length);
    expect(copy_from_user(mm, back, 0x10ffa)).toBe(0);
    expect(back).toEqual(data);
  });

  it("copy_to_user into a read-only page reports the bytes not copied", () => {
    const mm = setup();
    expect(copy_to_user(mm, 0x12000, bytes("x"))).toBe(1);
    // straddling RW -> RO: the first 4 bytes land, 4 are not copied
    expect(copy_to_user(mm, 0x11ffc, bytes("abcdefgh"))).toBe(4);
    expect(new TextDecoder().decode(mm.peek(0x11ffc, 4))).toBe("abcd");
  });

  it("copy_from_user stops at an unmapped page and zeroes the rest", () => {
    const mm = setup();
    const dst = new Uint8Array(8).fill(0xee);
    expect(copy_from_user(mm, dst, 0x12ffc, 8)).toBe(4);
    expect([...dst]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(copy_from_user(mm, dst, 0x20000, 8)).toBe(8);
  });

  it("fails whole for ranges past TASK_SIZE or wrapping around 2^64", () => {
    const mm = setup();
    const buf = new Uint8Array(16);
    expect(copy_from_user(mm, buf, TASK_SIZE - 8, 16)).toBe(16);
    expect(copy_to_user(mm, 2 ** 64 - 8, buf)).toBe(16);
    expect(copy_from_user(mm, buf, -8, 16)).toBe(16);
  });

  it("copies zero bytes successfully anywhere inside the limit", () => {
    const mm = setup();
    expect(copy_from_user(mm, new Uint8Array(0), 0x99999000, 0)).toBe(0);
  });
});

describe("strncpy_from_user", () => {
  const mm = setup();
  copy_to_user(mm, 0x10100, bytes("abc\0"));
  mm.poke(0x12ffd, bytes("xyz")); // read-only page, runs into the unmapped page with no NUL
  copy_to_user(mm, 0x11ffe, bytes("q")); // "q\0" then the RO page is readable

  it("returns the length without the NUL", () => {
    const dst = new Uint8Array(16);
    expect(strncpy_from_user(mm, dst, 0x10100, 16)).toBe(3);
    expect(new TextDecoder().decode(dst.subarray(0, 3))).toBe("abc");
  });
  it("returns count when no NUL comes within count bytes", () => {
    expect(strncpy_from_user(mm, new Uint8Array(2), 0x10100, 2)).toBe(2);
    expect(strncpy_from_user(mm, new Uint8Array(3), 0x10100, 3)).toBe(3);
  });
  it("returns -EFAULT when the string runs into unmapped memory, or starts there", () => {
    expect(strncpy_from_user(mm, new Uint8Array(16), 0x12ffd, 16)).toBe(-EFAULT);
    expect(strncpy_from_user(mm, new Uint8Array(16), 0x30000, 16)).toBe(-EFAULT);
    expect(strncpy_from_user(mm, new Uint8Array(16), TASK_SIZE, 16)).toBe(-EFAULT);
    expect(strncpy_from_user(mm, new Uint8Array(16), -1, 16)).toBe(-EFAULT);
  });
  it("succeeds when the NUL is just before the fault", () => {
    expect(strncpy_from_user(mm, new Uint8Array(16), 0x12ffd, 3)).toBe(3);
  });
  it("reads across page boundaries", () => {
    expect(strncpy_from_user(mm, new Uint8Array(16), 0x11ffe, 16)).toBe(1);
  });
});

describe("strnlen_user", () => {
  const mm = setup();
  copy_to_user(mm, 0x10ff0, bytes("0123456789abcdefXYZ\0"));
  it("counts the NUL, across pages", () => {
    expect(strnlen_user(mm, 0x10ff0, 100)).toBe(20);
  });
  it("returns more than n when the string is longer", () => {
    expect(strnlen_user(mm, 0x10ff0, 5)).toBeGreaterThan(5);
  });
  it("returns 0 on a fault or bad input", () => {
    expect(strnlen_user(mm, 0x30000, 5)).toBe(0);
    expect(strnlen_user(mm, TASK_SIZE, 5)).toBe(0);
    expect(strnlen_user(mm, 0x10ff0, 0)).toBe(0);
    expect(strnlen_user(mm, 0x10ff0, -1)).toBe(0);
  });
});

describe("clear_user", () => {
  it("zeroes, and reports what it could not clear", () => {
    const mm = setup();
    copy_to_user(mm, 0x11ff0, new Uint8Array(16).fill(9));
    expect(clear_user(mm, 0x11ff0, 32)).toBe(16);
    expect([...mm.peek(0x11ff0, 16)].every((b) => b === 0)).toBe(true);
    expect(clear_user(mm, 0x10000, 0x2000)).toBe(0);
    expect(clear_user(mm, TASK_SIZE - 1, 2)).toBe(2);
  });
});

describe("get_user / put_user", () => {
  it("round-trips little-endian values", () => {
    const mm = setup();
    expect(put_user_u64(mm, 0x10008, 0x1122334455667788n)).toBe(0);
    expect(get_user_u64(mm, 0x10008)).toBe(0x1122334455667788n);
    expect(get_user_u32(mm, 0x10008)).toBe(0x55667788);
    expect(get_user_u16(mm, 0x1000e)).toBe(0x1122);
    expect(get_user_u8(mm, 0x1000f)).toBe(0x11);
    expect(put_user_u64(mm, 0x10008, -1n)).toBe(0);
    expect(get_user_u64(mm, 0x10008)).toBe(0xffffffffffffffffn);
    expect(put_user_u32(mm, 0x10ffe, 0xdeadbeef)).toBe(0);
    expect(get_user_u32(mm, 0x10ffe)).toBe(0xdeadbeef);
  });
  it("faults with null / -EFAULT", () => {
    const mm = setup();
    expect(get_user_u32(mm, 0x12ffe)).toBeNull();
    expect(get_user_u64(mm, TASK_SIZE)).toBeNull();
    expect(put_user_u8(mm, 0x12000, 1)).toBe(-EFAULT);
    expect(put_user_u8(mm, 2 ** 64, 1)).toBe(-EFAULT);
  });
});
