-- Upsert, step 1 of 2 (same transaction): remove the stored rows whose key is in the files;
-- step 2 (insert_from_parquet.sql) inserts the files' rows. INSERT OR REPLACE does both in one
-- statement but holds a whole file in memory and fails under the load's memory cap on a
-- batch of long articles; this reads only the key columns.
-- {table}, {keys} and {match} are identifiers (SQL parameters carry values only), filled in by
-- warehouse.duck.sql_on_table from model/schema.py's fixed tables, never from input; $files is a parameter.
DELETE FROM {table} AS t
USING (
    SELECT DISTINCT {keys}
    FROM read_parquet($files, hive_partitioning = true, hive_types = {'month': 'VARCHAR'})
) AS s
WHERE {match};
