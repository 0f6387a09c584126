/*
 * wild_addr.c - what si_addr says for loads from wild addresses.
 *
 * Shows: the kernel reports the faulting address in full, all 64 bits of
 * it, whatever the address: near NULL, unmapped user space, the top of
 * the address space, or a value no page table can map (on riscv64 a page
 * fault with that address; on x86-64 a non-canonical address is a general
 * protection fault instead, which reports si_addr 0 and si_code
 * SI_KERNEL).  The handler jumps back with siglongjmp, so one run tries
 * every address.
 *
 * Expected output: one line per address, "load from A: SIGSEGV si_addr=B
 * si_code=C", deterministic for a given architecture.
 * Exit status: 0
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf back;
static volatile unsigned long got_addr;
static volatile int got_sig, got_code;

static void on_fault(int signo, siginfo_t *info, void *uc)
{
    (void)uc;
    got_sig = signo;
    got_code = info->si_code;
    got_addr = (unsigned long)info->si_addr;
    siglongjmp(back, 1);
}

int main(void)
{
    static const unsigned long wild[] = {
        0x10UL, 0x7ffffffff000UL, 0x7a3f123456789abcUL, 0xfffffffffff16482UL,
        0xffff800000001000UL, 0x0000800000000000UL, 0x123456789abcdef0UL, 0xfffffffffffffff8UL,
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    for (unsigned i = 0; i < sizeof wild / sizeof wild[0]; i++) {
        if (sigsetjmp(back, 1) == 0) {
            volatile char *p = (volatile char *)wild[i];
            (void)*p;
            printf("load from %#lx: no fault\n", wild[i]);
        } else {
            printf("load from %#lx: %s si_addr=%#lx si_code=%d\n", wild[i],
                   got_sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", got_addr, got_code);
        }
    }
    return 0;
}
