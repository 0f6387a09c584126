// pipe2(2) (fs/pipe.c): a pipe's two ends as the lowest free descriptors.

import { EFAULT } from "../src/kernel/errno.ts";
import { O_CLOEXEC } from "../src/kernel/fs/file.ts";
import { createPipe } from "../src/kernel/fs/pipe.ts";
import { copy_to_user } from "../src/mm/uaccess.ts";
import { argsOf } from "./args.ts";
import { defineSyscall } from "./types.ts";

/** pipe2(2): fds[0] reads, fds[1] writes; flags O_CLOEXEC, O_NONBLOCK, O_DIRECT. */
export const sys_pipe2 = defineSyscall({
  name: "pipe2", args: ["pipefd_out", "oflags"],
  fn: (t, a) => {
    const flags = a.int(1);
    const ends = createPipe(t, flags);
    if (typeof ends === "number") return ends;
    const [r, w] = ends;
    const cloexec = (flags & O_CLOEXEC) !== 0;
    const rfd = t.files.install(r, cloexec);
    if (rfd < 0) {
      r.get().put();
      w.get().put();
      return rfd;
    }
    const wfd = t.files.install(w, cloexec);
    if (wfd < 0) {
      t.files.close(rfd);
      w.get().put();
      return wfd;
    }
    const b = new Uint8Array(8);
    const v = new DataView(b.buffer);
    v.setInt32(0, rfd, true);
    v.setInt32(4, wfd, true);
    if (copy_to_user(t.mm, a.ptr(0), b)) {
      t.files.close(rfd);
      t.files.close(wfd);
      return -EFAULT;
    }
    return 0;
  },
});

/** pipe(2), which x86-64 keeps: pipe2(fds, 0). */
export const sys_pipe = defineSyscall({
  name: "pipe", args: ["pipefd_out"],
  fn: (t, a, k) => sys_pipe2.fn(t, argsOf(a.raw[0]!, 0), k),
});
