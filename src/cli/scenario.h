/* scenario.h — the scenario language: commands that drive a simulated machine. */
#ifndef MMSIM_CLI_SCENARIO_H
#define MMSIM_CLI_SCENARIO_H

#include <stdio.h>

struct machine;
struct scenario;

struct scenario *scenario_new(struct machine *m, FILE *out, FILE *err);
void scenario_free(struct scenario *s);

/*
 * Run scenario text. @where names it in errors ("FILE" or "-e"); lines are
 * numbered from 1. Commands are separated by newlines or ';'. Returns 0, or
 * 2 after printing "WHERE:LINE: message" for bad input; the machine stays
 * consistent either way.
 */
int scenario_run(struct scenario *s, const char *where, const char *text);

#endif /* MMSIM_CLI_SCENARIO_H */
