/*
 * pthreads.c - four threads, a mutex and a condition variable.
 *
 * Shows: clone(2) with CLONE_VM|CLONE_THREAD (what pthread_create does),
 * futex(2) under pthread_mutex and pthread_cond, and set_robust_list /
 * exit of a thread.  Two exercises, both with a result that does not
 * depend on scheduling:
 *  1. each of 4 threads adds 1 to a shared counter 100000 times under a
 *     mutex: the total must be exactly 400000;
 *  2. a token is handed round the threads in order 0,1,2,3,0,1,... for 5
 *     rounds with one condition variable: each thread waits until it is
 *     its turn, appends its digit, passes the turn on and broadcasts.
 *
 * Expected output (deterministic):
 *     counter: 400000 (expected 400000)
 *     token order: 01230123012301230123
 *     joined 4 threads
 * Exit status: 0 (1 if a result was wrong)
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define INCREMENTS 100000
#define ROUNDS 5

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;                             /* whose turn it is to take the token */
static char order[THREADS * ROUNDS + 1];
static int order_len;

static void *worker(void *arg)
{
    int id = (int)(long)arg;

    /* 1. The counter. */
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }

    /* 2. The token, in turn. */
    for (int round = 0; round < ROUNDS; round++) {
        pthread_mutex_lock(&lock);
        while (turn != id)
            pthread_cond_wait(&turn_changed, &lock);
        order[order_len++] = (char)('0' + id);
        turn = (turn + 1) % THREADS;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return arg;
}

int main(void)
{
    pthread_t threads[THREADS];

    for (long i = 0; i < THREADS; i++) {
        int err = pthread_create(&threads[i], NULL, worker, (void *)i);
        if (err) {
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            return 1;
        }
    }
    int joined = 0;
    for (long i = 0; i < THREADS; i++) {
        void *ret;
        if (pthread_join(threads[i], &ret) == 0 && ret == (void *)i)
            joined++;
    }

    printf("counter: %ld (expected %d)\n", counter, THREADS * INCREMENTS);
    printf("token order: %s\n", order);
    printf("joined %d threads\n", joined);
    return counter == THREADS * INCREMENTS && joined == THREADS &&
                   strcmp(order, "01230123012301230123") == 0
               ? 0
               : 1;
}
