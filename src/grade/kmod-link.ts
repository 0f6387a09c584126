// Where src/grade finds src/kmod (the kernel-patch engine), in one place.
import { compileKernelPatch, KmodError } from "../kmod/compile.ts";
import { kmodSyscalls } from "../kmod/module.ts";
import { kmodState } from "../kmod/state.ts";

export const kmod = { compileKernelPatch, kmodSyscalls, kmodState, KmodError };
