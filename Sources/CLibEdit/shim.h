#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
#include <stdio.h>               /* editline/readline.h uses FILE */
#include <editline/readline.h>
#endif
