#ifndef RETRYTOP_CHIREDIS_SHIM_H
#define RETRYTOP_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
