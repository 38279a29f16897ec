/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runner for TEST() cases: forks one child per case, reports PASS/FAIL with
 * the reason, and ends with the "N passed, N failed" line the suite sums.
 * Usage: <binary> [substring]   runs only the cases whose name contains it.
 */
#include "unit.h"
#include <sys/wait.h>
#include <unistd.h>

#define UNIT_MAX 4096

static struct { const char *name; void (*fn)(void); } cases[UNIT_MAX];
static int ncases;

void unit_register(const char *name, void (*fn)(void))
{
    if (ncases == UNIT_MAX) {
        fprintf(stderr, "unit: too many cases\n");
        exit(2);
    }
    cases[ncases].name = name;
    cases[ncases].fn = fn;
    ncases++;
}

void unit_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "    %s:%d: CHECK failed: %s\n", file, line, what);
    fflush(stderr);
    _exit(1);
}

static int run_case(int i)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 0;
    }
    if (pid == 0) {
        cases[i].fn();
        fflush(stdout);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) < 0)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 1;
    if (WIFSIGNALED(status))
        fprintf(stderr, "    killed by signal %d\n", WTERMSIG(status));
    return 0;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;

    for (int i = 0; i < ncases; i++) {
        if (filter && !strstr(cases[i].name, filter))
            continue;
        if (run_case(i)) {
            passed++;
            printf("PASS %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", cases[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
