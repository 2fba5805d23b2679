-- Upsert, step 2 of 2: insert the files' rows (their keys were removed by step 1).
-- {table} is an identifier filled in by warehouse.duck.sql_on_table from model/schema.py's fixed
-- tables (never user input); $files is a parameter.
INSERT INTO {table} BY NAME
SELECT *
FROM read_parquet($files, hive_partitioning = true, hive_types = {'month': 'VARCHAR'});
