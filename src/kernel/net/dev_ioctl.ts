// The interface ioctls any socket answers (net/core/dev_ioctl.c dev_ifsioc_locked): a struct
// ifreq naming a device, for sysemu's one device, lo. if_nametoindex and if_indextoname in
// glibc, and ifconfig-style tools, ask this way.

import { copy_from_user, copy_to_user } from "../../mm/uaccess.ts";
import { EFAULT, ENODEV } from "../errno.ts";
import type { Task } from "../proc/task.ts";
import { LO } from "./rtnetlink.ts";

export const SIOCGIFNAME = 0x8910, SIOCGIFFLAGS = 0x8913, SIOCGIFMTU = 0x8921, SIOCGIFINDEX = 0x8933;
/** sizeof(struct ifreq) on LP64: a 16-byte name and a 24-byte union. */
const SIZEOF_IFREQ = 40, IFNAMSIZ = 16;

export const isDevIoctl = (req: number): boolean => req === SIOCGIFNAME || req === SIOCGIFFLAGS || req === SIOCGIFMTU || req === SIOCGIFINDEX;

/** dev_ioctl for the SIOCGIF* requests: 0, or -ENODEV for a device other than lo, -EFAULT. */
export function devIoctl(t: Task, req: number, arg: number): number {
  const ifr = new Uint8Array(SIZEOF_IFREQ);
  if (copy_from_user(t.mm, ifr, arg, SIZEOF_IFREQ)) return -EFAULT;
  const v = new DataView(ifr.buffer);
  if (req === SIOCGIFNAME) {
    if (v.getInt32(IFNAMSIZ, true) !== LO.index) return -ENODEV;
    ifr.fill(0, 0, IFNAMSIZ);
    ifr.set(new TextEncoder().encode(LO.name), 0);
    return copy_to_user(t.mm, arg, ifr) ? -EFAULT : 0;
  }
  ifr[IFNAMSIZ - 1] = 0;
  const nul = ifr.indexOf(0);
  const name = new TextDecoder().decode(ifr.subarray(0, nul < 0 ? IFNAMSIZ : nul));
  if (name !== LO.name) return -ENODEV;
  if (req === SIOCGIFINDEX) v.setInt32(IFNAMSIZ, LO.index, true);
  else if (req === SIOCGIFFLAGS) v.setUint16(IFNAMSIZ, LO.flags & 0xffff, true); // ifr_flags is a short: IFF_LOWER_UP does not fit
  else v.setInt32(IFNAMSIZ, LO.mtu, true);
  return copy_to_user(t.mm, arg, ifr) ? -EFAULT : 0;
}
