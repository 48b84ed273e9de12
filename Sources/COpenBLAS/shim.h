// C entry points capsim uses from OpenBLAS (cblas) and LAPACKE.
// Only the Forecasting module imports this, behind a Swift Matrix (see docs/DESIGN.md).
#pragma once
#include <cblas.h>
#include <lapacke.h>
