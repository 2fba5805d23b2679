-- The connection's memory cap, as DuckDB reports it (e.g. '61.0 MiB').
SELECT current_setting('memory_limit');
