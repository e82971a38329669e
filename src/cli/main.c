/* syndlint: entry point and subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: syndlint scan [options] PATH...   check files, directories or - (stdin)\n"
          "       syndlint rules list|test|explain ID [options]\n"
          "       syndlint --version | --help\n"
          "\n"
          "scan options:\n"
          "  --config FILE        project config (default: ./syndlint.yaml when present)\n"
          "  --rules PATH         rule pack file or directory (repeatable)\n"
          "  --rules-dir DIR      directory of the default packs\n"
          "  --format text|json   what to print on stdout (default text)\n"
          "  --report FMT:PATH    also write a report (repeatable; FMT: json)\n"
          "  --fail-on SEV        lowest severity that fails: error|warning|info (default error)\n"
          "  -j N                 worker threads (default: number of cores)\n"
          "  --include GLOB       only scan walked files matching GLOB (repeatable)\n"
          "  --exclude GLOB       skip walked files matching GLOB (repeatable)\n"
          "  --max-file-size N    bytes (suffixes K, M, G); larger files are ERROR (default 32M)\n"
          "  --color WHEN         auto|always|never (default auto)\n"
          "  -q, --quiet          list only files that did not pass\n"
          "\n"
          "exit codes: 0 all passed; 1 some document failed; 2 usage, config or rule error;\n"
          "            3 some input could not be scanned (marked ERROR)\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("syndlint %s\n", sl_version());
        return EXIT_PASS;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_PASS;
    }
    if (strcmp(cmd, "scan") == 0)
        return cli_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cli_rules(argc - 1, argv + 1);
    fprintf(stderr, "syndlint: unknown command '%s' (try 'syndlint --help')\n", cmd);
    return EXIT_USAGE;
}
