#ifndef RETRYTOP_CNCURSES_SHIM_H
#define RETRYTOP_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
#endif
