/*
 * files.c (wasm) - files in a preopened directory: create, list, rename.
 *
 * Shows: WASI's capability model: a module can only reach directories
 * the runtime "preopened" for it; wasi-libc maps absolute paths onto
 * them.  Given such a directory as argv[1] the program
 *   1. creates "a.txt" and writes a line to it (path_open, fd_write),
 *   2. lists the directory sorted (fd_readdir via readdir),
 *   3. renames a.txt to b.txt within the directory (path_rename),
 *   4. lists again, reads b.txt back (fd_read), then removes it.
 * The directory should start empty (other entries are listed too).
 *
 * Usage: files.wasm <dir>     e.g. with node:wasi preopens { "/sandbox": hostDir }
 * Expected output, for an empty directory:
 *     created a.txt (13 bytes)
 *     before rename: a.txt
 *     renamed a.txt -> b.txt
 *     after rename: b.txt
 *     b.txt says: hello, files
 *     removed b.txt
 * Exit status: 0 (1 on any error, with the failing step on stderr)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "files: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

/* Prints the names in dir (without . and ..), sorted, after a label. */
static int list(const char *label, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail("opendir", dir);
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    printf("%s:", label);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("%s\n", n ? "" : " (empty)");
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <preopened-dir>\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/a.txt", dir);
    snprintf(b, sizeof b, "%s/b.txt", dir);

    FILE *f = fopen(a, "w");
    if (!f)
        return fail("create", a);
    int written = fprintf(f, "hello, files\n");
    if (fclose(f) != 0)
        return fail("close", a);
    printf("created a.txt (%d bytes)\n", written);

    if (list("before rename", dir))
        return 1;
    if (rename(a, b) != 0)
        return fail("rename", a);
    printf("renamed a.txt -> b.txt\n");
    if (list("after rename", dir))
        return 1;

    char line[64] = "";
    f = fopen(b, "r");
    if (!f)
        return fail("open", b);
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    printf("b.txt says: %s", line);

    if (unlink(b) != 0)
        return fail("unlink", b);
    printf("removed b.txt\n");
    return 0;
}
