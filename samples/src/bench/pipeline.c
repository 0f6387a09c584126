/* pipeline: `producer | filter | sink` without a shell, as `bc | bc | md5sum` does it: three
 * processes joined by pipes, every line a write(2) of its own, so each line costs wake-ups and
 * context switches between processes rather than CPU work.  Prints the line count and a checksum
 * the sink computed (the same under any kernel).  Usage: pipeline [LINES]  (default 100000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void producer(int out, long lines) {
  char buf[32];
  for (long i = 0; i < lines; i++) {
    int n = snprintf(buf, sizeof buf, "line %ld\n", i);
    if (write(out, buf, n) != n) exit(1);
  }
}

/* Upper-cases what it reads and writes it on, one write per read (an unbuffered filter). */
static void filter(int in, int out) {
  char buf[4096];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
    if (write(out, buf, n) != n) exit(1);
  }
}

static void sink(int in) {
  char buf[4096];
  ssize_t n;
  unsigned long sum = 5381, lines = 0;
  while ((n = read(in, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++) {
      sum = sum * 33 + (unsigned char)buf[i];
      lines += buf[i] == '\n';
    }
  printf("%lu lines, checksum %016lx\n", lines, sum);
}

static pid_t spawn(int in, int out, int close1, int close2, void (*fn)(int, int)) {
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); exit(1); }
  if (pid == 0) {
    close(close1);
    close(close2);
    fn(in, out);
    exit(0);
  }
  return pid;
}

static void sink_fn(int in, int out) { (void)out; sink(in); }

int main(int argc, char **argv) {
  long lines = argc > 1 ? atol(argv[1]) : 100000;
  int a[2], b[2];
  if (pipe(a) || pipe(b)) { perror("pipe"); return 1; }
  pid_t f = spawn(a[0], b[1], a[1], b[0], filter);
  pid_t s = spawn(b[0], -1, a[1], b[1], sink_fn);
  close(a[0]);
  close(b[0]);
  close(b[1]);
  producer(a[1], lines);
  close(a[1]);
  int st1, st2;
  waitpid(f, &st1, 0);
  waitpid(s, &st2, 0);
  return st1 || st2;
}
