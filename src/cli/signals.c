/*
 * SIGINT and SIGTERM stop a scan cleanly. The handler does nothing but
 * record which signal came (async-signal-safe); the scan loop and its
 * workers poll cli_interrupted() between files, stop taking new ones, and
 * the program exits 128 + the signal number without writing the reports
 * of the unfinished scan. A report being renamed into place is finished
 * first: reports are written to a temporary file and renamed, so no
 * reader ever sees half of one.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* SA_RESTART: a report being written is not cut short by EINTR; the
     * scan loop sees the flag within its polling interval anyway. */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
    return (int)got_signal;
}
