// The riscv64 system call table, in the spirit of the kernel's syscall.tbl files. riscv64
// uses the asm-generic numbers (include/uapi/asm-generic/unistd.h). A number not listed here
// returns -ENOSYS, like kernel/sys_ni.c. Adding a system call: write the handler in its family
// file (syscalls/<family>.ts, exported as sys_<name>) and add one line here.

export default `
# nr   abi      name                 entry point
17     common   getcwd               sys_getcwd
23     common   dup                  sys_dup
24     common   dup3                 sys_dup3
25     common   fcntl                sys_fcntl
29     common   ioctl                sys_ioctl
35     common   unlinkat             sys_unlinkat
48     common   faccessat            sys_faccessat
49     common   chdir                sys_chdir
56     common   openat               sys_openat
57     common   close                sys_close
61     common   getdents64           sys_getdents64
62     common   lseek                sys_lseek
63     common   read                 sys_read
64     common   write                sys_write
65     common   readv                sys_readv
66     common   writev               sys_writev
67     common   pread64              sys_pread64
68     common   pwrite64             sys_pwrite64
78     common   readlinkat           sys_readlinkat
79     common   newfstatat           sys_newfstatat
80     common   fstat                sys_fstat
93     common   exit                 sys_exit
94     common   exit_group           sys_exit_group
96     common   set_tid_address      sys_set_tid_address
98     common   futex                sys_futex
99     common   set_robust_list      sys_set_robust_list
101    common   nanosleep            sys_nanosleep
113    common   clock_gettime        sys_clock_gettime
114    common   clock_getres         sys_clock_getres
116    common   syslog               sys_syslog
115    common   clock_nanosleep      sys_clock_nanosleep
124    common   sched_yield          sys_sched_yield
129    common   kill                 sys_kill
130    common   tkill                sys_tkill
131    common   tgkill               sys_tgkill
134    common   rt_sigaction         sys_rt_sigaction
135    common   rt_sigprocmask       sys_rt_sigprocmask
160    common   uname                sys_uname
163    common   getrlimit            sys_getrlimit
166    common   umask                sys_umask
169    common   gettimeofday         sys_gettimeofday
172    common   getpid               sys_getpid
173    common   getppid              sys_getppid
174    common   getuid               sys_getuid
175    common   geteuid              sys_geteuid
176    common   getgid               sys_getgid
177    common   getegid              sys_getegid
178    common   gettid               sys_gettid
179    common   sysinfo              sys_sysinfo
214    common   brk                  sys_brk
215    common   munmap               sys_munmap
216    common   mremap               sys_mremap
222    common   mmap                 sys_mmap
226    common   mprotect             sys_mprotect
233    common   madvise              sys_madvise
258    riscv    riscv_hwprobe        sys_riscv_hwprobe
259    riscv    riscv_flush_icache   sys_riscv_flush_icache
261    common   prlimit64            sys_prlimit64
278    common   getrandom            sys_getrandom
291    common   statx                sys_statx
293    common   rseq                 sys_rseq
439    common   faccessat2           sys_faccessat2
400    common   hello                sys_hello
401    common   hello2               sys_hello2
`;
