/* cli_calendar.h: the 'phuong calendar' command (lunar dates, month grids, appointments) */
#ifndef APP_CLI_CALENDAR_H
#define APP_CLI_CALENDAR_H

/* Runs 'phuong calendar ...'; argv[0] is "calendar". Returns the exit status: 0, 1 when a
 * file cannot be read, 2 for bad input (a Vietnamese message on stderr). */
int cli_calendar(int argc, char **argv);

#endif
