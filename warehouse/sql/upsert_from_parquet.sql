-- Load lake files into one warehouse table; re-loading the same rows replaces them by key.
-- {table} is a table name from warehouse/schema.py (never user input); $files is a parameter.
INSERT OR REPLACE INTO {table} BY NAME
SELECT *
FROM read_parquet($files, hive_partitioning = true, hive_types = {'month': 'VARCHAR'});
