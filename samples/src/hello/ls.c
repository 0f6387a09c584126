/*
 * ls.c - a small `ls -l`: list a directory, sorted, with mode and size.
 *
 * Shows: opendir(3)/readdir(3), which read directory entries with
 * getdents64(2), and lstat(2) on each name (so a symbolic link is shown
 * as a link, with its target from readlink(2)).  Names are sorted with
 * strcmp, so the order does not depend on the file system.  Entries
 * starting with '.' are skipped unless -a is given.
 *
 * Usage: ls [-a] [dir]            (dir defaults to ".")
 * Expected output: one line per entry:
 *     drwxr-xr-x        4096 name
 *     -rw-r--r--          12 file.txt
 *     lrwxrwxrwx           6 link -> target
 * Exit status: 0, or 1 if the directory cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the 10-character mode string (like "drwxr-xr-x") into out. */
static void mode_string(mode_t mode, char out[11])
{
    char type = S_ISDIR(mode)    ? 'd'
                : S_ISLNK(mode)  ? 'l'
                : S_ISCHR(mode)  ? 'c'
                : S_ISBLK(mode)  ? 'b'
                : S_ISFIFO(mode) ? 'p'
                : S_ISSOCK(mode) ? 's'
                                 : '-';
    const char *rwx = "rwxrwxrwx";
    out[0] = type;
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
    if (mode & S_ISUID)
        out[3] = (mode & S_IXUSR) ? 's' : 'S';
    if (mode & S_ISGID)
        out[6] = (mode & S_IXGRP) ? 's' : 'S';
    if (mode & S_ISVTX)
        out[9] = (mode & S_IXOTH) ? 't' : 'T';
    out[10] = '\0';
}

int main(int argc, char *argv[])
{
    int all = 0;
    const char *dir = ".";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-a") == 0)
            all = 1;
        else
            dir = argv[i];
    }

    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    size_t count = 0, capacity = 16;
    char **names = malloc(capacity * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (!all && e->d_name[0] == '.')
            continue;
        if (count == capacity)
            names = realloc(names, (capacity *= 2) * sizeof *names);
        if (names)
            names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (!names) {
        fprintf(stderr, "ls: out of memory\n");
        return 1;
    }
    qsort(names, count, sizeof *names, compare_names);

    int status = 0;
    for (size_t i = 0; i < count; i++) {
        char path[PATH_MAX], mode[11];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (lstat(path, &st) != 0) {
            fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
            status = 1;
            continue;
        }
        mode_string(st.st_mode, mode);
        printf("%s %11lld %s", mode, (long long)st.st_size, names[i]);
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlink(path, target, sizeof target - 1);
            if (n >= 0) {
                target[n] = '\0';
                printf(" -> %s", target);
            }
        }
        printf("\n");
        free(names[i]);
    }
    free(names);
    return status;
}
