-- Write a whole warehouse table as hive-partitioned Parquet (the lake is rebuilt from it
-- after a reprocess). {table}, {dest} and {pattern} are set by the code, never by input.
COPY (SELECT * FROM {table} ORDER BY month) TO '{dest}'
    (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month), FILENAME_PATTERN '{pattern}');
