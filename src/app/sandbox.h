/* sandbox.h: the seccomp allow-list `phuong serve` puts on itself once it is ready to serve
 *
 * After start-up (database open, templates compiled, listeners bound, threads started)
 * the server needs a small set of system calls: memory, threads, files in its folders,
 * sockets for clients, PostgreSQL and SMTP, time, randomness. Everything else, starting
 * with execve, ptrace and fork, is refused: the offending thread's call does not run, a
 * line naming the call goes to stderr, and the process ends (SIGSYS; systemd restarts it). */
#ifndef APP_SANDBOX_H
#define APP_SANDBOX_H

#include <stdbool.h>

enum sandbox_mode {
	SANDBOX_OFF,     /* no filter (--no-seccomp, or seccomp = off) */
	SANDBOX_ENFORCE, /* the default: an unlisted call stops the server */
	SANDBOX_LOG,     /* unlisted calls run but the kernel logs them (audit log, dmesg):
			    for finding what a new code path needs */
};

/* Parses "on", "off" or "log" into *mode; false for anything else. */
bool sandbox_mode_parse(const char *text, enum sandbox_mode *mode);

/* Installs the allow-list on every thread of the process (ENFORCE or LOG), and the SIGSYS
 * handler that names a refused call. false, and a logged reason, if the kernel or
 * libseccomp refused the filter. Irreversible for the process. */
bool sandbox_install(enum sandbox_mode mode);

/* What `serve` calls once ready: installs the filter for mode and logs the outcome
 * ("seccomp filter active: ..."). In a sanitizer build it installs nothing and says so
 * (ASan and LeakSanitizer need ptrace, clone and more). false only if installing failed. */
bool sandbox_enter(enum sandbox_mode mode);

#endif
