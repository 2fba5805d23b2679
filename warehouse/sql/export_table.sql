-- Write a whole warehouse table as hive-partitioned Parquet (the lake is rebuilt from it
-- after a reprocess). $table (a name from model/schema.py), $dest and $pattern are set by the
-- code, never by input; all three are parameters.
COPY (SELECT * FROM query_table($table) ORDER BY month) TO $dest
    (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month), FILENAME_PATTERN $pattern);
