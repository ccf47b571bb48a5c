/* test_sandbox.c: the seccomp allow-list, each case in a forked child that installs it:
 * what serving needs still works (files, threads, sockets), execve, ptrace and fork are
 * stopped by SIGSYS with a line naming the call, netlink sockets get EAFNOSUPPORT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/sandbox.h"

/* How a child ended, and what it wrote to stderr. */
struct outcome {
	int status;
	char err[1024];
};

/* Runs body in a child that first installs the filter (ENFORCE); its exit code is what
 * body returns. */
static struct outcome in_sandbox(int (*body)(void))
{
	int pipe_fds[2];
	assert_int_equal(pipe(pipe_fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipe_fds[1], STDERR_FILENO);
		close(pipe_fds[0]);
		struct rlimit no_core = { 0, 0 }; /* SIGSYS would dump one in the source tree */
		setrlimit(RLIMIT_CORE, &no_core);
		if (!sandbox_install(SANDBOX_ENFORCE))
			_exit(90);
		_exit(body());
	}
	close(pipe_fds[1]);
	struct outcome out = { 0 };
	size_t n = 0;
	ssize_t got;
	while (n < sizeof out.err - 1 &&
	       (got = read(pipe_fds[0], out.err + n, sizeof out.err - 1 - n)) > 0)
		n += (size_t)got;
	close(pipe_fds[0]);
	assert_int_equal(waitpid(pid, &out.status, 0), pid);
	return out;
}

static void assert_stopped_by_sigsys(const struct outcome *o, const char *call)
{
	if (!WIFSIGNALED(o->status) || WTERMSIG(o->status) != SIGSYS)
		fail_msg("child not stopped by SIGSYS (status %#x): %s", o->status, o->err);
	char expected[64];
	snprintf(expected, sizeof expected, "system call %s (", call);
	if (strstr(o->err, expected) == NULL)
		fail_msg("no line naming %s: '%s'", call, o->err);
	assert_non_null(strstr(o->err, "not on the allow-list"));
}

static void *thread_main(void *arg)
{
	*(int *)arg = 42;
	return NULL;
}

/* What a serving process does: a file in /tmp written and read back, a thread, a TCP
 * socket, memory, time. 0 when everything worked. */
static int serving_work(void)
{
	char path[] = "/tmp/phuong-sandbox-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, "abc", 3) != 3 || lseek(fd, 0, SEEK_SET) != 0)
		return 1;
	char got[4] = "";
	if (read(fd, got, 3) != 3 || strcmp(got, "abc") != 0 || fsync(fd) != 0)
		return 2;
	close(fd);
	if (unlink(path) != 0)
		return 3;
	int value = 0;
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, &value) != 0 || pthread_join(t, NULL) != 0 ||
	    value != 42)
		return 4;
	int s = socket(AF_INET6, SOCK_STREAM, 0);
	if (s < 0)
		return 5;
	close(s);
	void *big = malloc(8 * 1024 * 1024);
	if (big == NULL)
		return 6;
	memset(big, 1, 8 * 1024 * 1024);
	free(big);
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 7;
	return 0;
}

static void serving_work_still_runs(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(serving_work);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
		fail_msg("status %#x: %s", o.status, o.err);
}

static int try_execve(void)
{
	char *const argv[] = { "/bin/true", NULL };
	char *const envp[] = { NULL };
	execve("/bin/true", argv, envp);
	return 77; /* not reached when stopped; 77 when execve failed and returned */
}

static void execve_is_stopped(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(try_execve);
	assert_stopped_by_sigsys(&o, "execve");
}

static int try_ptrace(void)
{
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	return 77;
}

static void ptrace_is_stopped(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(try_ptrace);
	assert_stopped_by_sigsys(&o, "ptrace");
}

static int try_fork(void)
{
	pid_t pid = fork(); /* clone without CLONE_THREAD */
	if (pid == 0)
		_exit(0);
	return 77;
}

static void fork_is_stopped(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(try_fork);
	assert_stopped_by_sigsys(&o, "clone");
}

static int try_netlink(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW, 0);
	return s < 0 && errno == EAFNOSUPPORT ? 0 : 1;
}

static void netlink_is_refused_not_fatal(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(try_netlink);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
		fail_msg("status %#x: %s", o.status, o.err);
}

/* Name lookups as libpq and libcurl make them (files, then DNS; glibc probes netlink):
 * any answer will do, a SIGSYS will not. */
static int resolve_names(void)
{
	static const char *const names[] = { "localhost", "phuong-sandbox-test.invalid" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
		struct addrinfo *found = NULL;
		if (getaddrinfo(names[i], "5432", &hints, &found) == 0)
			freeaddrinfo(found);
	}
	return 0;
}

static void name_lookups_run(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(resolve_names);
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
		fail_msg("status %#x: %s", o.status, o.err);
}

static int try_write_exec_memory(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	return p == MAP_FAILED ? 1 : 77;
}

static void writable_executable_memory_is_stopped(void **state)
{
	(void)state;
	struct outcome o = in_sandbox(try_write_exec_memory);
	assert_stopped_by_sigsys(&o, "mmap");
}

static void modes_parse(void **state)
{
	(void)state;
	enum sandbox_mode m;
	assert_true(sandbox_mode_parse("on", &m));
	assert_int_equal(m, SANDBOX_ENFORCE);
	assert_true(sandbox_mode_parse("off", &m));
	assert_int_equal(m, SANDBOX_OFF);
	assert_true(sandbox_mode_parse("log", &m));
	assert_int_equal(m, SANDBOX_LOG);
	assert_false(sandbox_mode_parse("yes", &m));
	assert_false(sandbox_mode_parse("", &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serving_work_still_runs),
		cmocka_unit_test(execve_is_stopped),
		cmocka_unit_test(ptrace_is_stopped),
		cmocka_unit_test(fork_is_stopped),
		cmocka_unit_test(netlink_is_refused_not_fatal),
		cmocka_unit_test(name_lookups_run),
		cmocka_unit_test(writable_executable_memory_is_stopped),
		cmocka_unit_test(modes_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
