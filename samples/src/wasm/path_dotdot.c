/*
 * path_dotdot.c - `..` in a path is walked as Linux walks it, component by component: after a
 * name that does not exist it is ENOENT, after a file ENOTDIR, after a directory its parent.
 * Built for riscv64, x86-64 and wasm32-wasi (there through path_open on the preopened `/`).
 * Usage: path_dotdot DIR   (a writable directory, absolute; gets a file and a subdirectory)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_open(const char *dir, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    int fd = open(path, O_RDONLY);
    const char *what = fd >= 0 ? "ok" : errno == ENOENT ? "ENOENT" : errno == ENOTDIR ? "ENOTDIR" : strerror(errno);
    printf("open %s: %s\n", rel, what);
    if (fd >= 0) close(fd);
    struct stat st;
    errno = 0;
    int r = stat(path, &st);
    printf("stat %s: %s\n", rel, r == 0 ? "ok" : errno == ENOENT ? "ENOENT" : errno == ENOTDIR ? "ENOTDIR" : strerror(errno));
}

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    const char *dir = argv[1];
    char p[1024];
    snprintf(p, sizeof p, "%s/file", dir);
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    try_open(dir, "missing/../file");
    try_open(dir, "file/../file");
    try_open(dir, "sub/../file");
    try_open(dir, "sub/./../sub/../file");
    try_open(dir, "missing/..");
    snprintf(p, sizeof p, "%s/missing/../new", dir);
    errno = 0;
    fd = open(p, O_CREAT | O_WRONLY, 0644);
    printf("create missing/../new: %s\n", fd >= 0 ? "ok" : errno == ENOENT ? "ENOENT" : strerror(errno));
    snprintf(p, sizeof p, "%s/missing/../newdir", dir);
    errno = 0;
    printf("mkdir missing/../newdir: %s\n", mkdir(p, 0755) == 0 ? "ok" : errno == ENOENT ? "ENOENT" : strerror(errno));
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/file", dir);
    unlink(p);
    return 0;
}
