/* demo.h — the built-in demonstration scenario. */
#ifndef MMSIM_CLI_DEMO_H
#define MMSIM_CLI_DEMO_H

#include <mmsim/machine.h>

const char *demo_scenario(enum mmsim_arch arch);

#endif /* MMSIM_CLI_DEMO_H */
