"""The tables' contracts, checked with Great Expectations (`validate`, `suites`, `outcome`, `docs`)."""

from expectations.lazy import defer_unused_gx_imports

defer_unused_gx_imports()  # before any module of this package imports GX
