/*
 * setuid_demo.c - real, effective and saved user ids, as on the slide.
 *
 * Shows: a set-user-ID program runs with the file owner's id as its
 * effective uid (used for permission checks) while the real uid stays
 * the caller's; the saved set-user-ID remembers the privileged id so the
 * program can drop it with seteuid(getuid()) and take it back later with
 * seteuid(saved).  setuid() by a privileged process changes all three,
 * and then there is no way back.
 *
 * What it does depends on who runs it:
 *  - as root: it first sets (real, effective, saved) = (1001, 0, 0),
 *    exactly the state of a set-user-ID-root program started by user
 *    1001, then walks the slide's table: drop with seteuid(1001), regain
 *    with seteuid(0), drop for good with setuid(1001), then seteuid(0)
 *    fails with EPERM;
 *  - as anyone else: euid == uid, so seteuid(getuid()) changes nothing and
 *    seteuid(0) fails with EPERM (the slide's first table).
 *
 * Expected output as root (deterministic then):
 *     start:                      uid=0 euid=0 suid=0
 *     setresuid(1001, 0, 0): ok   uid=1001 euid=0 suid=0
 *     seteuid(1001): ok           uid=1001 euid=1001 suid=0
 *     seteuid(0): ok              uid=1001 euid=0 suid=0
 *     setuid(1001): ok            uid=1001 euid=1001 suid=1001
 *     seteuid(0): EPERM           uid=1001 euid=1001 suid=1001
 * Exit status: 0 if every step gave the result the slide predicts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USER 1001

static int surprises;

/* Prints one row of the table: the step, its result and the three ids. */
static void row(const char *step, int ret, int expect_ok)
{
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    const char *res = ret == 0 ? "ok" : strerrorname_np(errno);
    char label[64];
    snprintf(label, sizeof label, "%s: %s", step, res ? res : "error");
    printf("%-27s uid=%u euid=%u suid=%u\n", label, (unsigned)r, (unsigned)e, (unsigned)s);
    if ((ret == 0) != expect_ok)
        surprises++;
}

int main(void)
{
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    printf("%-27s uid=%u euid=%u suid=%u\n", "start:", (unsigned)r, (unsigned)e, (unsigned)s);

    if (geteuid() == 0) {
        /* Become what a set-user-ID-root program run by USER would be. */
        row("setresuid(1001, 0, 0)", setresuid(USER, 0, 0), 1);
        row("seteuid(1001)", seteuid(getuid()), 1);   /* safer: USER's rights */
        row("seteuid(0)", seteuid(0), 1);             /* dangerous again: saved id is 0 */
        row("setuid(1001)", setuid(USER), 1);         /* drops all three */
        row("seteuid(0)", seteuid(0), 0);             /* no way back: EPERM */
    } else {
        row("seteuid(getuid())", seteuid(getuid()), 1);
        row("seteuid(0)", seteuid(0), 0);             /* EPERM: 0 is none of our ids */
    }
    return surprises ? 1 : 0;
}
