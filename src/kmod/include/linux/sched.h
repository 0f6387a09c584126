/* sysemu kmod: `current`, the task making the system call (pid, tgid and comm are filled in by
 * the emulated kernel before each call). */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H
#include <linux/types.h>
#define TASK_COMM_LEN 16
struct task_struct {
	pid_t pid;
	pid_t tgid;
	uid_t uid;
	gid_t gid;
	char comm[TASK_COMM_LEN];
};
struct task_struct *__kmod_current(void);
#define current (__kmod_current())
#define get_current() (__kmod_current())
static inline pid_t task_pid_nr(struct task_struct *t) { return t->pid; }
static inline pid_t task_tgid_nr(struct task_struct *t) { return t->tgid; }
static inline pid_t task_pid_vnr(struct task_struct *t) { return t->pid; }
static inline pid_t task_tgid_vnr(struct task_struct *t) { return t->tgid; }
#define get_task_comm(buf, t) ({ strscpy(buf, (t)->comm, sizeof(buf)); buf; })
#define in_interrupt() 0
#define in_atomic() 0
#define schedule() do { } while (0)
#define fatal_signal_pending(t) 0
#define signal_pending(t) 0
ssize_t strscpy(char *dst, const char *src, size_t size);
#endif
