/*
 * SIGINT and SIGTERM stop a scan cleanly. The handler only records which
 * signal came (async-signal-safe); the workers poll cli_interrupted()
 * before taking a file, so none is started after it, while the files
 * already being scanned are finished (each within --timeout) and their
 * results printed. The program then exits 128 + the signal number without
 * writing the reports of the unfinished scan, so an earlier report at
 * their paths stays as it was. Reports are written to a temporary file
 * and renamed, so a report being written when the signal comes (the scan
 * itself was finished) is completed, never left half-done.
 *
 * Waiting for a long file can be too long for the person at the terminal:
 * a second signal ends the process at once, with the same exit code. A
 * report being written then is not: its temporary file is removed, and the
 * report at its path stays as it was.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    if (got_signal) {
        sl_write_file_atomic_abandon();
        _exit(128 + got_signal);
    }
    got_signal = sig;
}

void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* Neither signal interrupts the handler of the other. */
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
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
