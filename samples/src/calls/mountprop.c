// Mount propagation, all below one directory (argv[1], a tmpfs there): BusyBox's own test
// (shared1 and shared2 bound on themselves and made shared, shared2 bound on shared1, a
// directory bound on shared2: shared1 shows it too, as shared1's submount is shared2's peer),
// umount taking the copies along, a slave that receives from its master but sends nothing
// back, EBUSY when a copy is in use, a shared slave (its copies shared and slaves) and a
// recursive bind taken away from all peers by one MNT_DETACH. /proc/self/mountinfo is printed
// for that directory only, ids, devices and peer groups numbered in order of appearance, so
// the output is the same under `unshare -m` natively (as root) and under sysemu.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountinfo.h"

/** ls: the names in a directory, sorted. */
static void ls(const char *rel) {
  struct dirent **names;
  int n = scandir(at(rel), &names, NULL, alphasort);
  printf("ls %s:", rel + 1);
  if (n < 0) printf(" %s", strerrorname_np(errno));
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.') printf(" %s", names[i]->d_name);
    free(names[i]);
  }
  if (n >= 0) free(names);
  printf("\n");
}

static void touch(const char *rel) {
  int fd = open(at(rel), O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) close(fd);
}

static void bind(const char *from, const char *to) {
  char what[128];
  snprintf(what, sizeof what, "bind %s on %s", from + 1, to + 1);
  show(what, mount(at(from), at(to), NULL, MS_BIND, NULL));
}

static void umount_(const char *rel) {
  char what[128];
  snprintf(what, sizeof what, "umount %s", rel + 1);
  show(what, umount2(at(rel), 0));
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: mountprop DIR\n");
    return 2;
  }
  base = argv[1];
  baselen = strlen(base);
  setvbuf(stdout, NULL, _IOLBF, 0);
  show("mount tmpfs", mount("none", base, "tmpfs", 0, "mode=755"));
  mkdir(at("/dir"), 0755);
  mkdir(at("/shared1"), 0755);
  mkdir(at("/shared2"), 0755);
  mkdir(at("/slave"), 0755);
  touch("/dir/a");
  touch("/dir/b");

  printf("-- BusyBox's mount propagation test\n");
  bind("/shared1", "/shared1");
  show("make shared1 rshared", mount(NULL, at("/shared1"), NULL, MS_SHARED | MS_REC, NULL));
  bind("/shared2", "/shared2");
  show("make shared2 rshared", mount(NULL, at("/shared2"), NULL, MS_SHARED | MS_REC, NULL));
  bind("/shared2", "/shared1");
  bind("/dir", "/shared2");
  ls("/dir");
  ls("/shared1");
  ls("/shared2");
  mountinfo("dir on shared2, its copy on shared1", 0);
  umount_("/shared1");
  mountinfo("umount shared1 (the copy on shared2 goes too)", 0);
  ls("/shared2");

  printf("-- a slave\n");
  bind("/shared2", "/slave");
  show("make slave a slave", mount(NULL, at("/slave"), NULL, MS_SLAVE, NULL));
  show("mount tmpfs on shared2", mount("t", at("/shared2"), "tmpfs", 0, NULL));
  touch("/shared2/f");
  mkdir(at("/shared2/x"), 0755);
  ls("/shared1");
  ls("/slave");
  show("mount tmpfs on slave/x", mount("u", at("/slave/x"), "tmpfs", 0, NULL));
  touch("/slave/x/g");
  ls("/slave/x");
  ls("/shared2/x");
  ls("/shared1/x");
  mountinfo("tmpfs on shared2, copies on shared1 and slave", 0);
  umount_("/slave/x");
  int fd = open(at("/shared1/f"), O_RDONLY);
  show("umount shared2, shared1/f open", umount2(at("/shared2"), 0));
  close(fd);
  umount_("/shared2");
  ls("/shared1");
  ls("/slave");
  mountinfo("umount shared2", 0);

  printf("-- a shared slave, a recursive bind, MNT_DETACH\n");
  mkdir(at("/src"), 0755);
  mkdir(at("/p"), 0755);
  mkdir(at("/q"), 0755);
  mkdir(at("/r"), 0755);
  show("mount tmpfs on src", mount("s", at("/src"), "tmpfs", 0, NULL));
  mkdir(at("/src/in"), 0755);
  show("mount tmpfs on src/in", mount("t", at("/src/in"), "tmpfs", 0, NULL));
  bind("/p", "/p");
  show("make p shared", mount(NULL, at("/p"), NULL, MS_SHARED, NULL));
  bind("/p", "/q");
  bind("/q", "/r");
  show("make r a slave", mount(NULL, at("/r"), NULL, MS_SLAVE, NULL));
  show("make r shared", mount(NULL, at("/r"), NULL, MS_SHARED, NULL));
  show("rbind src on p", mount(at("/src"), at("/p"), NULL, MS_BIND | MS_REC, NULL));
  mountinfo("src's tree on p, q and r", 0);
  show("umount q, MNT_DETACH", umount2(at("/q"), MNT_DETACH));
  mountinfo("the tree is gone from p and r too", 0);
  show("umount q", umount2(at("/q"), 0));
  show("umount p", umount2(at("/p"), 0));
  show("umount src/in", umount2(at("/src/in"), 0));
  show("umount src", umount2(at("/src"), 0));
  mountinfo("r's master gone: r no slave", 0);
  umount_("/r");

  printf("-- the rest\n");
  umount_("/slave");
  umount_("/shared1");
  umount_("/shared1");
  umount_("/shared2");
  umount_("/shared1");
  show("umount the tmpfs", umount2(base, 0));
  mountinfo("at the end", 0);
  return 0;
}
