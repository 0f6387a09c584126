// Typed views of the six raw syscall argument registers, named after the C types the kernel's
// SYSCALL_DEFINE declares: sign and zero extension happen here and nowhere else.

/** Pointers beyond 2^53 cannot be a user address; they become this, which no access_ok accepts. */
export const BAD_POINTER = 2 ** 64;

/**
 * A 64-bit value from user space (a register, a pointer field of a struct) as a user pointer,
 * the kernel's u64_to_user_ptr(): exact below 2^53, BAD_POINTER above, so it faults in uaccess.
 */
export function u64_to_user_ptr(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return u > 0x1f_ffff_ffff_ffffn ? BAD_POINTER : Number(u);
}

export class SyscallArgs {
  constructor(readonly raw: BigInt64Array) {}

  /** int: the low 32 bits, sign-extended. */
  int(i: number): number {
    return Number(BigInt.asIntN(32, this.raw[i]!));
  }
  /** unsigned int: the low 32 bits. */
  uint(i: number): number {
    return Number(BigInt.asUintN(32, this.raw[i]!));
  }
  /** long / off_t / loff_t as a bigint (exact). */
  long(i: number): bigint {
    return this.raw[i]!;
  }
  /** unsigned long as a bigint (exact). */
  ulong(i: number): bigint {
    return BigInt.asUintN(64, this.raw[i]!);
  }
  /** size_t as a number: values above 2^53 saturate (no guest can have that much memory). */
  size(i: number): number {
    const v = BigInt.asUintN(64, this.raw[i]!);
    return v > 0x1f_ffff_ffff_ffffn ? Number.MAX_SAFE_INTEGER : Number(v);
  }
  /** A user pointer as a number; non-canonical values become BAD_POINTER. */
  ptr(i: number): number {
    return u64_to_user_ptr(this.raw[i]!);
  }
  /** A file descriptor (int). */
  fd(i: number): number {
    return this.int(i);
  }
}

/**
 * Registers for calling another call's handler: the old calls x86-64 keeps (open, stat, fork,
 * dup2 ...) are the new ones with some arguments fixed, as the kernel's own wrappers are
 * (SYSCALL_DEFINE3(open) → do_sys_open(AT_FDCWD, ...)).
 */
export function argsOf(...values: (bigint | number)[]): SyscallArgs {
  const raw = new BigInt64Array(6);
  values.forEach((v, i) => (raw[i] = BigInt.asIntN(64, BigInt(v))));
  return new SyscallArgs(raw);
}
