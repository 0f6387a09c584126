// The kernel sysemu says it is (include/generated/utsrelease.h and compile.h): uname(2),
// /proc/version, /proc/sys/kernel/osrelease and the boot banner all print these.

/** A Linux 6.12 with a release string that names us. */
export const UTS_RELEASE = "6.12.0-sysemu";
export const UTS_VERSION = "#1 SMP PREEMPT_DYNAMIC sysemu";
