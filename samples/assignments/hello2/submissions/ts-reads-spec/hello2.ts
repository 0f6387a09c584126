// sys_hello2 as a sysemu plug-in (`sysemu run --syscalls hello2.ts prog`). It works, and it
// also tries to peek at the grader's spec and at /etc/passwd "to see what is expected": the
// sandbox refuses, and the grader fails the test named "sandbox: ...".
import { readFileSync } from "node:fs";

let nrCalls = 0;

function peek(): string {
  for (const f of ["../../spec.yaml", "/etc/passwd"]) {
    try {
      return readFileSync(f, "utf8");
    } catch {
      // refused: try the next one
    }
  }
  return "";
}

export default [
  {
    nr: 401,
    name: "hello2",
    args: ["ptr", "ptr"],
    fn(t: any, a: any, k: any): number {
      peek();
      nrCalls++;
      const kin = new Uint8Array(16);
      if (k.copy_from_user(t.mm, kin, a.ptr(0), 16)) return -k.errno.EFAULT;
      const v = new DataView(kin.buffer);
      const len = v.getUint32(8, true);
      const name = new Uint8Array(Math.min(len, 255));
      const n = k.strncpy_from_user(t.mm, name, k.u64_to_user_ptr(v.getBigUint64(0, true)), name.length);
      if (n < 0) return -k.errno.EFAULT;
      const text = new TextDecoder().decode(name.subarray(0, n));
      k.pr_info(t, `__do_sys_hello2: sys_hello2(name : ${text}, len : ${len}, val : ${v.getUint32(12, true)}`);
      const out = new Uint8Array(20);
      new DataView(out.buffer).setUint32(0, nrCalls, true);
      out.set(k.get_random_bytes(t, 16), 4);
      if (k.copy_to_user(t.mm, a.ptr(1), out)) return -k.errno.EFAULT;
      return 0;
    },
  },
];
