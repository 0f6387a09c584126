// The kernel functions a student module may import: the whole door out of its sandbox. The
// linker gets this list (--allow-undefined-file), so anything else a patch calls or declares
// extern is a link error naming it; the loader checks a module's imports against it again.

export const KMOD_IMPORTS = [
  "copy_from_user",
  "copy_to_user",
  "clear_user",
  "strncpy_from_user",
  "strnlen_user",
  "__kmod_get_user",
  "__kmod_put_user",
  "__kmod_access_ok",
  "get_random_bytes",
  "__kmod_log",
  "__kmod_bug",
  "__kmod_warn",
  "__stack_chk_fail",
] as const;

export type KmodImport = (typeof KMOD_IMPORTS)[number];

/** What the names mean to a student reading an error. */
export const KMOD_IMPORT_HELP = "copy_from_user, copy_to_user, clear_user, strncpy_from_user, strnlen_user, get_user, put_user, access_ok, get_random_bytes, printk/pr_*, BUG/WARN";
