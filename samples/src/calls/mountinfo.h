// What the mount samples (mounts.c, mountprop.c) share: results printed as "what: r" or
// "what: -1 ENAME", paths below the directory under test, and /proc/self/mountinfo printed for
// that directory only, with mount ids, devices and peer groups numbered in order of appearance,
// so that the output is the same under `unshare -m` natively (as root) and under sysemu.
#ifndef MOUNTINFO_H
#define MOUNTINFO_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *base; /* the directory under test (argv[1]) */
static size_t baselen;

static void show(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
  fflush(stdout);
}

static char *at(const char *rel) {
  static char buf[4][512];
  static int k;
  char *b = buf[k++ & 3];
  snprintf(b, 512, "%s%s", base, rel);
  return b;
}

/** The number a token (an id, a device, a peer group) first appeared as: ids differ between kernels. */
static int renumber(char seen[][32], int *n, const char *tok) {
  for (int i = 0; i < *n; i++)
    if (strcmp(seen[i], tok) == 0) return i + 1;
  snprintf(seen[*n], 32, "%s", tok);
  return ++*n;
}

/** The mountinfo lines below base; with `super`, the fields after "-" (type, source, options) too. */
static void mountinfo(const char *title, int super) {
  // numbered afresh each time: Linux gives a freed id to the next mount, sysemu does not
  static char ids[64][32], devs[64][32], groups[64][32];
  int nid = 0, ndev = 0, ngroup = 0;
  printf("mountinfo %s:\n", title);
  FILE *f = fopen("/proc/self/mountinfo", "r");
  char line[1024];
  while (f && fgets(line, sizeof line, f)) {
    char id[32], parent[32], dev[32], root[256], point[256], opts[256];
    int used;
    if (sscanf(line, "%31s %31s %31s %255s %255s %255s %n", id, parent, dev, root, point, opts, &used) < 6) continue;
    if (strncmp(point, base, baselen) != 0 || (point[baselen] != 0 && point[baselen] != '/')) continue;
    int pid = renumber(ids, &nid, parent), mid = renumber(ids, &nid, id);
    printf("  m%d in m%d dev%d root %s at .%s %s", mid, pid, renumber(devs, &ndev, dev), root, point + baselen, opts);
    char *tok;
    for (tok = strtok(line + used, " \n"); tok && strcmp(tok, "-") != 0; tok = strtok(NULL, " \n")) {
      char *colon = strchr(tok, ':');
      if (colon) {
        *colon = 0;
        printf(" %s:g%d", tok, renumber(groups, &ngroup, colon + 1));
      } else {
        printf(" %s", tok);
      }
    }
    if (super) {
      printf(" -");
      for (tok = strtok(NULL, " \n"); tok; tok = strtok(NULL, " \n")) printf(" %s", tok);
    }
    printf("\n");
  }
  if (f) fclose(f);
  fflush(stdout);
}
#endif
