-- Column compression of what the writer stores (INCIDENTS_DUCKDB_COMPRESSION; why zstd: warehouse/duck.py).
SET force_compression = $compression;
