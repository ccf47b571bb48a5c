/* sandbox.c: the seccomp allow-list of a serving phuong (libseccomp), and the SIGSYS handler that names a refused call */
#include "app/sandbox.h"

#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

/* System calls allowed whatever their arguments, by what needs them once serving. */
static const char *const allowed[] = {
	/* memory: malloc, thread stacks, SQLite's shared-memory index of the WAL */
	"brk", "munmap", "mremap", "madvise",
	/* threads: the pool's locks, libcurl's resolver threads, thread start and end */
	"futex", "set_robust_list", "get_robust_list", "rseq", "sched_yield", "sched_getaffinity",
	"gettid", "getpid", "tgkill", "exit", "exit_group", "restart_syscall",
	/* signals: SIGTERM's handler, pause() until it comes, abort() and raise() */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "pause",
	/* time and randomness (libsodium: tokens, passwords) */
	"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
	"getrandom",
	/* files: the database and its journals in the data folder, templates reloaded in dev
	 * mode, the libmagic database on the first upload, log lines */
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "open",
	"openat", "close", "lseek", "fstat", "stat", "lstat", "newfstatat", "statx", "access",
	"faccessat", "faccessat2", "readlink", "readlinkat", "getcwd", "getdents64", "fcntl",
	"flock", "fsync", "fdatasync", "ftruncate", "fallocate", "unlink", "unlinkat", "rename",
	"renameat", "renameat2", "mkdir", "mkdirat", "fchmod", "fchown", "umask", "fstatfs",
	"statfs", "fadvise64",
	/* sockets: clients (accept), PostgreSQL (TCP or a Unix socket), SMTP, DNS; the pool's
	 * wake-up eventfd and libcurl's socketpair */
	"accept", "accept4", "connect", "shutdown", "getsockname", "getpeername", "setsockopt",
	"getsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"socketpair", "pipe", "pipe2", "eventfd2", "poll", "ppoll", "select", "pselect6",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	/* who and where we are: libpq, libcurl's EHLO name, glibc's qsort (sysinfo) */
	"getuid", "geteuid", "getgid", "getegid", "getgroups", "uname", "sysinfo", "getrusage",
};

/* Names of the system calls, for the SIGSYS handler (which may not allocate). */
enum { SANDBOX_MAX_SYSCALL = 512, SANDBOX_NAME_SIZE = 24 };
static char syscall_names[SANDBOX_MAX_SYSCALL][SANDBOX_NAME_SIZE];

bool sandbox_mode_parse(const char *text, enum sandbox_mode *mode)
{
	if (strcmp(text, "on") == 0)
		*mode = SANDBOX_ENFORCE;
	else if (strcmp(text, "off") == 0)
		*mode = SANDBOX_OFF;
	else if (strcmp(text, "log") == 0)
		*mode = SANDBOX_LOG;
	else
		return false;
	return true;
}

static size_t put_text(char *out, size_t at, size_t size, const char *s)
{
	while (*s != '\0' && at + 1 < size)
		out[at++] = *s++;
	return at;
}

/* Writes the refused call to stderr, then lets SIGSYS end the process. Async-signal-safe:
 * no stdio, no allocation. */
static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)context;
	int nr = info->si_syscall;
	char number[12], line[200];
	size_t n = 0, digits = 0;
	unsigned v = nr < 0 ? 0 : (unsigned)nr;
	do {
		number[digits++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && digits < sizeof number);
	n = put_text(line, n, sizeof line, "phuong: seccomp: system call ");
	n = put_text(line, n, sizeof line,
		     nr >= 0 && nr < SANDBOX_MAX_SYSCALL && syscall_names[nr][0] != '\0'
			     ? syscall_names[nr] : "?");
	n = put_text(line, n, sizeof line, " (");
	while (digits > 0 && n + 1 < sizeof line)
		line[n++] = number[--digits];
	n = put_text(line, n, sizeof line,
		     ") is not on the allow-list: stopping (README, \"Monitoring and the seccomp "
		     "filter\"; --no-seccomp to debug)\n");
	ssize_t written = write(STDERR_FILENO, line, n);
	(void)written;
	/* SIGSYS is blocked in its handler: raised now, it ends the process on return. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGSYS, &dfl, NULL);
	raise(SIGSYS);
}

static void remember_names(void)
{
	for (int nr = 0; nr < SANDBOX_MAX_SYSCALL; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name == NULL)
			continue;
		size_t len = strnlen(name, SANDBOX_NAME_SIZE - 1);
		memcpy(syscall_names[nr], name, len);
		syscall_names[nr][len] = '\0';
		free(name);
	}
}

/* Adds the rules whose arguments matter; false on the first failure. */
static bool add_argument_rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	/* Threads, never processes: clone must share the address space as a thread does. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	/* clone3 passes its flags in memory, which a filter cannot read: ENOSYS makes glibc
	 * fall back to clone, checked above. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* Memory may be writable or executable, never both (as MemoryDenyWriteExecute). */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE, 0));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE, 0));
	/* Sockets of the families the service unit allows (RestrictAddressFamilies); glibc
	 * probes netlink when resolving names and copes with EAFNOSUPPORT. */
	static const int families[] = { AF_UNIX, AF_INET, AF_INET6 };
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)families[i]));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
			       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)AF_NETLINK));
	/* ioctl only to ask: bytes waiting (the resolver), non-blocking, is it a terminal. */
	static const unsigned long requests[] = { FIONREAD, FIONBIO, TCGETS, TIOCGWINSZ };
	for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)requests[i]));
	/* Reading limits, not setting them. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
			       SCMP_A2(SCMP_CMP_EQ, 0));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getrlimit), 0);
	/* A thread's name (PR_SET_NAME, PR_GET_NAME), nothing else of prctl. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
			       SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
			       SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME));
	return rc == 0;
}

bool sandbox_install(enum sandbox_mode mode)
{
	if (mode == SANDBOX_OFF)
		return true;
	remember_names();
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	if (mode == SANDBOX_ENFORCE && sigaction(SIGSYS, &sa, NULL) != 0) {
		log_error("seccomp: cannot set the SIGSYS handler: %s", strerror(errno));
		return false;
	}
	scmp_filter_ctx ctx = seccomp_init(mode == SANDBOX_LOG ? SCMP_ACT_LOG : SCMP_ACT_TRAP);
	if (ctx == NULL) {
		log_error("seccomp: cannot make a filter");
		return false;
	}
	bool ok = true;
	/* Every thread: the server's pool, the flusher and the metrics listener run already. */
	ok = ok && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) == 0;
	/* A binary tree of the calls: a few comparisons a call instead of a list. */
	ok = ok && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) == 0;
	for (size_t i = 0; ok && i < sizeof allowed / sizeof allowed[0]; i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not a call of this architecture (open on arm64) */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0) {
			log_error("seccomp: cannot allow %s", allowed[i]);
			ok = false;
		}
	}
	ok = ok && add_argument_rules(ctx);
	int rc = ok ? seccomp_load(ctx) : 0;
	seccomp_release(ctx);
	if (!ok || rc != 0) {
		log_error("seccomp: the kernel refused the filter%s%s", rc != 0 ? ": " : "",
			  rc != 0 ? strerror(-rc) : "");
		return false;
	}
	return true;
}

bool sandbox_enter(enum sandbox_mode mode)
{
	if (mode == SANDBOX_OFF) {
		log_warn("seccomp filter off: every system call is allowed (seccomp = off or "
			 "--no-seccomp)");
		return true;
	}
#ifdef PHUONG_SANITIZE
	log_warn("seccomp filter not installed: sanitizer build (ASan and LeakSanitizer need "
		 "ptrace, clone and more)");
	return true;
#else
	if (!sandbox_install(mode))
		return false;
	log_info("seccomp filter active: %zu system calls allowed (some by argument), any "
		 "other %s", sizeof allowed / sizeof allowed[0] + 8,
		 mode == SANDBOX_LOG ? "is allowed and logged by the kernel (seccomp = log)"
				     : "stops the server");
	return true;
#endif
}
