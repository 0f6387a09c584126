/* fuzz_syscalls: issues system calls with random arguments, for tools/fuzz.mjs.
 *
 *   fuzz_syscalls SEED COUNT NR,NR,...
 *
 * The calls run in forked children, BATCH calls each, so that whatever a call does to its
 * process (munmap, setuid, close, a fatal signal) ends one batch only.  Every pointer argument
 * points into one of four arenas of this process, each between PROT_NONE guard pages, never at
 * the program's own data; calls that would reach outside the child (exit, execve, kill of
 * another pid, reboot, rt_sigreturn) are left out or aimed at the child itself.  A periodic
 * SIGALRM (no SA_RESTART) ends any call that blocks.  A result Linux cannot give is a finding:
 * an errno outside 1..133 (ERESTART* leaking), a value below -4095, or anything but 0/-errno
 * from a call that only returns 0.  The parent watches a shared page: a child making no
 * progress for 10 s is a hang.  Lines: "BAD", "HANG", "DIED" (informational), then a summary.
 * The same SEED and COUNT issue the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 500
#define ARENAS 4
#define ARENA_SIZE (64 * 1024)
#define PAGE 4096
#define MAXBAD 32

struct call { long nr, a[6], ret; };
struct shared {
  volatile long done;           /* calls completed in this batch */
  volatile struct call cur;     /* the call in progress */
  volatile long nbad;
  struct call bad[MAXBAD];
};

static struct shared *sh;
static unsigned char *arena[ARENAS];
static uint64_t rng;

static uint64_t next(void) { /* xorshift64* */
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1DULL;
}
static uint64_t below(uint64_t n) { return next() % n; }

static const char *paths[] = {
  "/tmp/fz", "/tmp/fz/a", "/tmp", "/", ".", "..", "", "/proc/self/maps", "/proc/self/fd/0",
  "/dev/null", "/dev/zero", "missing/../tmp", "/tmp/fz/../fz/b", "/tmp/link", "a", "/etc/passwd",
  "/proc/self/status", "/dev/tty", "/tmp/fifo", "/tmp/sock",
};
#define NPATHS (sizeof paths / sizeof paths[0])

static long ptr(void) {
  unsigned char *base = arena[below(ARENAS)];
  long off;
  switch (below(8)) {
  case 0: off = ARENA_SIZE - (long)below(64); break;     /* runs into the guard page */
  case 1: off = ARENA_SIZE + (long)below(PAGE); break;   /* inside the guard page */
  case 2: off = -(long)below(PAGE) - 1; break;           /* the guard below */
  default: off = (long)below(ARENA_SIZE) & ~7L;
  }
  return (long)(base + off);
}

static long path(void) { return (long)(arena[0] + 256 * below(NPATHS)); }

static long arg(void) {
  static const long special[] = { 0, -1, 1, 2, -4096, 0x7fffffff, (long)0x80000000UL, 0xffffffffL,
                                  (long)0x8000000000000000UL, 0x7fffffffffffffffL, 4096, 65536, -100 };
  switch (below(10)) {
  case 0: case 1: case 2: return ptr();
  case 3: return path();
  case 4: return (long)below(16);                        /* fds and small counts */
  case 5: return (long)below(4096);
  case 6: return special[below(sizeof special / sizeof special[0])];
  case 7: return (long)(next() & 0xffffffff & (next() | next())); /* flag-like bits */
  case 8: return (long)next();
  default: return (long)below(256);
  }
}

static void fill_arenas(void) {
  for (int i = 0; i < ARENAS; i++) {
    if (i == 3) { memset(arena[i], 0, ARENA_SIZE); continue; }
    for (int j = 0; j < ARENA_SIZE; j += 8) { uint64_t v = next(); memcpy(arena[i] + j, &v, 8); }
  }
  for (unsigned i = 0; i < NPATHS; i++) strcpy((char *)arena[0] + 256 * i, paths[i]);
  /* arena 1: iovecs into arena 2, so vectored calls have something sane to chew on */
  for (int i = 0; i < 64; i++) {
    long *iov = (long *)(arena[1] + 16 * i);
    iov[0] = (long)(arena[2] + below(ARENA_SIZE / 2));
    iov[1] = (long)below(4096);
  }
}

static void open_fds(void) {
  int p[2], s[2];
  /* what the calls write to fds 0-2 must not reach the fuzzer's report */
  int nul = open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; fd++) if (nul < 0 || dup2(nul, fd) < 0) close(fd);
  if (nul > 2) close(nul);
  mkdir("/tmp", 01777);
  mkdir("/tmp/fz", 0755);
  open("/tmp/fz/a", O_RDWR | O_CREAT, 0644);
  if (pipe(p) == 0) {}
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0) {}
  eventfd(0, 0);
  open("/", O_RDONLY | O_DIRECTORY);
  epoll_create1(0);
  socket(AF_INET, SOCK_DGRAM, 0);
  symlink("/tmp/fz/a", "/tmp/link");
  mkfifo("/tmp/fifo", 0644);
}

static int zero_only(long nr) {
  switch (nr) {
  case SYS_close: case SYS_fsync: case SYS_fdatasync: case SYS_chdir: case SYS_fchdir: case SYS_chroot:
  case SYS_fchmod: case SYS_fchmodat: case SYS_fchownat: case SYS_fchown: case SYS_mkdirat:
  case SYS_unlinkat: case SYS_symlinkat: case SYS_linkat: case SYS_renameat2: case SYS_ftruncate:
  case SYS_truncate: case SYS_faccessat: case SYS_munmap: case SYS_mprotect: case SYS_madvise:
  case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigaction: case SYS_rt_sigprocmask:
  case SYS_sigaltstack: case SYS_setpgid: case SYS_nanosleep: case SYS_clock_gettime:
  case SYS_clock_getres: case SYS_gettimeofday: case SYS_setitimer: case SYS_getitimer: case SYS_uname:
  case SYS_sysinfo: case SYS_getrlimit: case SYS_setrlimit: case SYS_prlimit64: case SYS_pipe2:
  case SYS_socketpair: case SYS_bind: case SYS_listen: case SYS_connect: case SYS_shutdown:
  case SYS_setsockopt: case SYS_getsockopt: case SYS_getsockname: case SYS_getpeername: case SYS_fstat:
  case SYS_newfstatat: case SYS_statfs: case SYS_fstatfs: case SYS_statx: case SYS_utimensat:
  case SYS_mknodat: case SYS_flock: case SYS_set_robust_list: case SYS_sched_yield: case SYS_fadvise64:
  case SYS_fallocate: case SYS_setuid: case SYS_setgid: case SYS_setreuid: case SYS_setregid:
  case SYS_setresuid: case SYS_setresgid: case SYS_getresuid: case SYS_getresgid: case SYS_sync:
  case SYS_syncfs: case SYS_msync: case SYS_mlock: case SYS_munlock: case SYS_clock_settime:
  case SYS_settimeofday: case SYS_sethostname: case SYS_setdomainname: case SYS_timer_delete:
  case SYS_timer_settime: case SYS_timer_gettime: case SYS_sched_setparam: case SYS_sched_getparam:
  case SYS_sched_setscheduler: case SYS_rt_sigpending: case SYS_shmdt:
    return 1;
  }
  return 0;
}

static int skipped(long nr) {
  return nr == SYS_exit || nr == SYS_exit_group || nr == SYS_execve || nr == SYS_execveat ||
         nr == SYS_reboot || nr == SYS_rt_sigreturn
#ifdef SYS_vfork
         || nr == SYS_vfork /* the child would run on in this stack frame, under the parent's feet */
#endif
         ;
}

static void onalrm(int sig) { (void)sig; }

/* The calls that make a child process, which leaves at once. */
static int forks(long nr) {
#ifdef SYS_fork
  if (nr == SYS_fork) return 1;
#endif
  return nr == SYS_clone || nr == SYS_clone3;
}

/* The calls after which the periodic SIGALRM may be gone (alarm(2) replaces ITIMER_REAL). */
static int rearms(long nr) {
#ifdef SYS_alarm
  if (nr == SYS_alarm) return 1;
#endif
  return nr == SYS_setitimer || nr == SYS_rt_sigaction || nr == SYS_rt_sigprocmask || nr == SYS_sigaltstack;
}

static void arm(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onalrm; /* no SA_RESTART: a blocked call ends with EINTR */
  sigaction(SIGALRM, &sa, 0);
  sigaction(SIGUSR1, &sa, 0);
  struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
  setitimer(ITIMER_REAL, &it, 0);
}

/* Aims the arguments that could reach beyond the child back at it. */
static void tame(long nr, long *a) {
  static const int sigs[] = { 0, SIGCHLD, SIGURG, SIGWINCH, SIGALRM, SIGUSR1 };
  static long self, tid;
  if (!self) { self = getpid(); tid = syscall(SYS_gettid); }
  switch (nr) {
  case SYS_kill: a[0] = self; a[1] = sigs[below(6)]; break;
  case SYS_tkill: a[0] = tid; a[1] = sigs[below(6)]; break;
  case SYS_tgkill: a[0] = self; a[1] = tid; a[2] = sigs[below(6)]; break;
  case SYS_rt_sigqueueinfo: a[0] = self; a[1] = sigs[below(6)]; break;
  case SYS_rt_tgsigqueueinfo: a[0] = self; a[1] = tid; a[2] = sigs[below(6)]; break;
  case SYS_pidfd_open: a[0] = self; break;
  case SYS_pidfd_send_signal: a[1] = sigs[below(6)]; break;
  case SYS_process_vm_readv: case SYS_process_vm_writev: case SYS_ptrace: a[0] = self; break;
  case SYS_prlimit64: case SYS_sched_setaffinity: case SYS_sched_setscheduler: a[0] = 0; break;
  case SYS_setpriority: a[1] = 0; break;
  case SYS_clone: a[0] = SIGCHLD; a[1] = 0; break; /* a plain fork, whose child leaves at once */
  case SYS_clone3: a[0] = 0; break;
#ifdef SYS_arch_prctl
  case SYS_arch_prctl: { /* anything but ARCH_SET_FS (0x1002), which would take the child's TLS */
    static const long codes[] = { 0x1001 /* SET_GS */, 0x1003 /* GET_FS */, 0x1004 /* GET_GS */, 0x1011, 0x1021, 0 };
    a[0] = codes[below(6)];
    break;
  }
#endif
  case SYS_rt_sigaction: {
    if (a[0] == SIGALRM || a[0] == SIGKILL) a[0] = SIGUSR2;
    long *sa = (long *)(arena[3] + 4096);
    static const long handlers[] = { 0 /* SIG_DFL */, 1 /* SIG_IGN */, (long)onalrm };
    sa[0] = handlers[below(3)]; sa[1] = (long)(next() & 0x0c000000); sa[2] = (long)next();
    if (below(2)) a[1] = (long)sa;
    break;
  }
  case SYS_rt_sigsuspend: a[0] = (long)(arena[3] + 8192); a[1] = 8; break; /* an empty mask */
  case SYS_ppoll: if (a[3]) a[3] = (long)(arena[3] + 8192); break;
  case SYS_epoll_pwait: if (a[4]) a[4] = (long)(arena[3] + 8192); break;
  case SYS_pselect6: a[5] = 0; break;
  case SYS_timer_create: a[1] = 0; break;
  case SYS_brk: a[0] = 0; break;
  case SYS_setitimer: a[0] = ITIMER_PROF; break;
  case SYS_munmap: case SYS_mprotect: case SYS_madvise: case SYS_msync: case SYS_mremap:
  case SYS_mlock: case SYS_munlock: case SYS_remap_file_pages: case SYS_mincore:
    a[0] = (long)(arena[below(ARENAS)] + PAGE * below(ARENA_SIZE / PAGE));
    a[1] = (long)below(ARENA_SIZE + PAGE); /* not the program's own mappings */
    if (nr == SYS_mremap) {
      a[2] = (long)below(ARENA_SIZE + PAGE);
      a[4] = (long)(arena[below(ARENAS)] + PAGE * below(ARENA_SIZE / PAGE));
    }
    break;
  case SYS_mmap:
    if (a[3] & 0x100010) { /* MAP_FIXED, MAP_FIXED_NOREPLACE */
      a[0] = (long)(arena[below(ARENAS)] + PAGE * below(ARENA_SIZE / PAGE));
      a[1] = (long)below(ARENA_SIZE + PAGE);
    }
    break;
  case SYS_shmat: a[1] = below(2) ? 0 : (long)(arena[below(ARENAS)] + PAGE * below(ARENA_SIZE / PAGE)); break;
  case SYS_prctl: if (a[0] == 22 /* PR_SET_SECCOMP */ || a[0] == 38 /* NO_NEW_PRIVS */) a[0] = 15; break;
  }
}

static int check(long nr, long ret) {
  if (ret < -4095) return 0;
  if (ret < 0 && (-ret > 133)) return 0;
  if (ret > 0 && zero_only(nr)) return 0;
  return 1;
}

static void child(const long *nrs, int n, long count) {
  static const sigset_t empty;
  fill_arenas();
  open_fds();
  arm();
  for (long i = 0; i < count; i++) {
    long a[6], nr = nrs[below(n)];
    for (int j = 0; j < 6; j++) a[j] = arg();
    tame(nr, a);
    sh->cur.nr = nr;
    for (int j = 0; j < 6; j++) sh->cur.a[j] = a[j];
    long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (ret == -1) ret = -errno;
    if (forks(nr)) { if (ret == 0) _exit(0); if (ret > 0) waitpid(ret, 0, 0); }
    if (!check(nr, ret) && sh->nbad < MAXBAD) {
      struct call *b = &sh->bad[sh->nbad++];
      b->nr = nr; memcpy(b->a, a, sizeof a); b->ret = ret;
    }
    sh->done = i + 1;
    sigprocmask(SIG_SETMASK, &empty, 0);
    if (rearms(nr)) arm();
  }
  _exit(0);
}

static void print_call(const char *what, long batch, long idx, volatile struct call *c) {
  printf("%s batch %ld call %ld: syscall %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)", what, batch, idx, c->nr,
         c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
  if (what[0] == 'B') printf(" = %ld", c->ret);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: fuzz_syscalls SEED COUNT NR,NR,...\n"); return 2; }
  unsigned long seed = strtoul(argv[1], 0, 0);
  long count = atol(argv[2]);
  long nrs[1024];
  int n = 0;
  for (char *s = strtok(argv[3], ","); s && n < 1024; s = strtok(0, ",")) {
    long nr = atol(s);
    if (!skipped(nr)) nrs[n++] = nr;
  }
  if (n == 0) return 2;
  setvbuf(stdout, 0, _IOLBF, 0);
  sh = mmap(0, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < ARENAS; i++) {
    unsigned char *m = mmap(0, ARENA_SIZE + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    arena[i] = m + PAGE;
    mprotect(arena[i], ARENA_SIZE, PROT_READ | PROT_WRITE);
  }
  long bad = 0, died = 0, hangs = 0, calls = 0;
  for (long batch = 0; calls < count; batch++) {
    long want = count - calls < BATCH ? count - calls : BATCH;
    rng = (seed + 1) * 0x9E3779B97F4A7C15ULL ^ (uint64_t)(batch + 1) * 0xD1B54A32D192ED03ULL;
    sh->done = 0; sh->nbad = 0;
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) { setpgid(0, 0); child(nrs, n, want); }
    int st = 0, idle = 0;
    long last = -1;
    while (waitpid(pid, &st, WNOHANG | WUNTRACED) == 0) {
      struct timespec ts = { 0, 20 * 1000 * 1000 };
      nanosleep(&ts, 0);
      if (sh->done != last) { last = sh->done; idle = 0; continue; }
      if (++idle == 500) { /* 10 s without a call completing */
        print_call("HANG", batch, sh->done, &sh->cur);
        hangs++;
        kill(-pid, SIGKILL);
      }
    }
    kill(-pid, SIGKILL); /* leftovers of forks the batch made */
    if (WIFSTOPPED(st)) { kill(pid, SIGKILL); waitpid(pid, &st, 0); }
    for (long i = 0; i < sh->nbad; i++) print_call("BAD", batch, -1, &sh->bad[i]);
    bad += sh->nbad;
    if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
      char what[32];
      snprintf(what, sizeof what, "DIED(sig %d)", WTERMSIG(st));
      print_call(what, batch, sh->done, &sh->cur);
      died++;
    }
    calls += sh->done < want ? sh->done + 1 : want;
  }
  printf("fuzz_syscalls: seed %lu: %ld calls, %d numbers, %ld bad, %ld hangs, %ld deaths\n", seed, calls, n, bad, hangs, died);
  return bad || hangs ? 1 : 0;
}
