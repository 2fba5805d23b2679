-- Upsert, step 2 of 2: insert the files' rows (their keys were removed by step 1).
-- {table} is a table name from warehouse/schema.py (never user input); $files is a parameter.
INSERT INTO {table} BY NAME
SELECT *
FROM read_parquet($files, hive_partitioning = true, hive_types = {'month': 'VARCHAR'});
