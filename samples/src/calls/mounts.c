// mount(2) and umount2(2) as a lecture on mount namespaces shows them, all below one directory
// (argv[1]): a tmpfs there, bind mounts (MS_REC or not), a read-only bind remount and a
// read-only remount (EROFS), proc, the propagation types, MS_MOVE, umount2 with EBUSY and MNT_DETACH,
// the errors, and EPERM for a user without CAP_SYS_ADMIN. /proc/self/mountinfo and
// /proc/self/mounts are printed for that directory only, with mount ids and device numbers
// numbered in order of appearance, so the output is the same under `unshare -m` natively (as
// root) and under sysemu.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mountinfo.h"

static void mounts(void) {
  printf("mounts:\n");
  FILE *f = fopen("/proc/self/mounts", "r");
  char line[1024];
  while (f && fgets(line, sizeof line, f)) {
    char src[256], point[256], type[64], opts[256];
    if (sscanf(line, "%255s %255s %63s %255s", src, point, type, opts) < 4) continue;
    if (strncmp(point, base, baselen) != 0 || (point[baselen] != 0 && point[baselen] != '/')) continue;
    printf("  %s .%s %s %s\n", src, point + baselen, type, opts);
  }
  if (f) fclose(f);
}

static int writefile(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  int r = write(fd, text, strlen(text));
  close(fd);
  return r;
}

static const char *readfile(const char *path) {
  static char buf[128];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return strerrorname_np(errno);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  return buf;
}

static int samedev(const char *a, const char *b) {
  struct stat x, y;
  return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: mounts DIR\n");
    return 2;
  }
  base = argv[1];
  baselen = strlen(base);
  setvbuf(stdout, NULL, _IOLBF, 0);

  printf("-- a tmpfs, and bind mounts in it\n");
  show("mount tmpfs", mount("none", base, "tmpfs", 0, "mode=755"));
  mkdir(at("/a"), 0755), mkdir(at("/b"), 0755), mkdir(at("/c"), 0755), mkdir(at("/a/sub"), 0755), mkdir(at("/p"), 0755), mkdir(at("/m"), 0755);
  writefile(at("/a/f"), "in a\n");
  show("mount tmpfs on a/sub", mount("sub", at("/a/sub"), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"));
  writefile(at("/a/sub/g"), "in sub\n");
  show("bind a on b", mount(at("/a"), at("/b"), NULL, MS_BIND, NULL));
  show("rbind a on c", mount(at("/a"), at("/c"), NULL, MS_BIND | MS_REC, NULL));
  printf("b/f: %s", readfile(at("/b/f")));
  printf("b/sub/g (not recursive): %s\n", readfile(at("/b/sub/g")));
  printf("c/sub/g (recursive): %s", readfile(at("/c/sub/g")));
  printf("b is a: %d, c/sub is a/sub: %d\n", samedev(at("/b"), at("/a")), samedev(at("/c/sub"), at("/a/sub")));
  mountinfo("after the binds", 1);
  mounts();

  printf("-- read-only\n");
  show("remount b bind,ro", mount(NULL, at("/b"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
  show("write b/f", writefile(at("/b/f"), "x"));
  show("mkdir b/d", mkdir(at("/b/d"), 0755));
  show("write a/f", writefile(at("/a/f"), "in a again\n"));
  printf("b/f now: %s", readfile(at("/b/f")));
  show("remount the tmpfs ro", mount(NULL, base, NULL, MS_REMOUNT | MS_RDONLY, NULL));
  show("write a/f", writefile(at("/a/f"), "x"));
  show("write a/sub/g (another tmpfs)", writefile(at("/a/sub/g"), "still\n"));
  mountinfo("read-only", 1);
  show("remount the tmpfs rw", mount(NULL, base, NULL, MS_REMOUNT, NULL));
  show("write a/f", writefile(at("/a/f"), "in a\n"));
  show("remount a (not a mount point)", mount(NULL, at("/a"), NULL, MS_REMOUNT, NULL));

  printf("-- propagation\n");
  show("make c shared", mount(NULL, at("/c"), NULL, MS_SHARED, NULL));
  show("bind c on b/sub... no: on p", mount(at("/c"), at("/p"), NULL, MS_BIND, NULL));
  mountinfo("c shared, p its peer", 1);
  show("make p slave", mount(NULL, at("/p"), NULL, MS_SLAVE, NULL));
  show("make c private, recursively", mount(NULL, at("/c"), NULL, MS_PRIVATE | MS_REC, NULL));
  show("make c unbindable", mount(NULL, at("/c"), NULL, MS_UNBINDABLE, NULL));
  mountinfo("p slave, c unbindable", 1);
  show("bind unbindable c", mount(at("/c"), at("/b"), NULL, MS_BIND, NULL));
  show("MS_SHARED|MS_PRIVATE", mount(NULL, at("/c"), NULL, MS_SHARED | MS_PRIVATE, NULL));
  show("make a (no mount point) shared", mount(NULL, at("/a"), NULL, MS_SHARED, NULL));

  printf("-- proc\n");
  show("umount p", umount2(at("/p"), 0));
  show("mount proc on p", mount("proc", at("/p"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
  char self[64], want[64];
  ssize_t n = readlink(at("/p/self"), self, sizeof self - 1);
  self[n > 0 ? n : 0] = 0;
  snprintf(want, sizeof want, "%d", getpid());
  printf("p/self is our pid: %d\n", strcmp(self, want) == 0);
  mountinfo("proc", 1);

  printf("-- MS_MOVE\n");
  show("move a/sub to m", mount(at("/a/sub"), at("/m"), NULL, MS_MOVE, NULL));
  printf("m/g: %s", readfile(at("/m/g")));
  printf("a/sub/g: %s\n", readfile(at("/a/sub/g")));
  mkdir(at("/m/x"), 0755);
  show("move m below itself", mount(at("/m"), at("/m/x"), NULL, MS_MOVE, NULL));
  show("move a (no mount point)", mount(at("/a"), at("/b"), NULL, MS_MOVE, NULL));
  show("move a missing path", mount(at("/nothing"), at("/b"), NULL, MS_MOVE, NULL));
  mountinfo("after the move", 1);
  show("move it back", mount(at("/m"), at("/a/sub"), NULL, MS_MOVE, NULL));
  rmdir(at("/a/sub/x"));

  printf("-- umount2\n");
  int fd = open(at("/b/f"), O_RDONLY);
  show("umount b, a file open in it", umount2(at("/b"), 0));
  show("umount b, MNT_DETACH", umount2(at("/b"), MNT_DETACH));
  char buf[32];
  n = read(fd, buf, sizeof buf);
  printf("the open file still reads: %zd\n", n);
  close(fd);
  printf("b/f after: %s\n", readfile(at("/b/f")));
  show("umount a (not a mount point)", umount2(at("/a"), 0));
  show("umount, bad flags", umount2(at("/c"), 0x100));
  show("umount, MNT_EXPIRE|MNT_DETACH", umount2(at("/c"), MNT_EXPIRE | MNT_DETACH));
  show("umount a missing path", umount2(at("/nothing"), 0));
  show("umount the tmpfs, mounts below it", umount2(base, 0));
  show("umount c, MNT_EXPIRE", umount2(at("/c"), MNT_EXPIRE));
  show("umount c (recursive bind: c/sub below)", umount2(at("/c"), 0));
  show("umount c/sub", umount2(at("/c/sub"), 0));
  show("umount c", umount2(at("/c"), 0));
  if (chdir(at("/a/sub")) == 0) {
    show("umount a/sub, our cwd in it", umount2(at("/a/sub"), 0));
    chdir("/");
  }
  mountinfo("after umounts", 1);

  printf("-- errors\n");
  show("type nosuchfs", mount("x", at("/b"), "nosuchfs", 0, NULL));
  show("no type, no flags", mount("x", at("/b"), NULL, 0, NULL));
  show("bind a missing source", mount(at("/nothing"), at("/b"), NULL, MS_BIND, NULL));
  show("bind a file on a directory", mount(at("/a/f"), at("/b"), NULL, MS_BIND, NULL));
  show("mount on a missing path", mount("none", at("/nothing"), "tmpfs", 0, NULL));
  show("tmpfs on a file", mount("none", at("/a/f"), "tmpfs", 0, NULL));
  pid_t pid = fork();
  if (pid == 0) {
    if (setuid(65534) != 0) _exit(1);
    show("mount as nobody", mount("none", at("/b"), "tmpfs", 0, NULL));
    show("umount2 as nobody", umount2(at("/a/sub"), 0));
    show("bind as nobody", mount(at("/a"), at("/b"), NULL, MS_BIND, NULL));
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  show("umount2 the tmpfs, MNT_DETACH", umount2(base, MNT_DETACH));
  mountinfo("at the end", 1);
  return 0;
}
