-- Keys that occur more than once in one batch's lake files: upsert_from_parquet refuses such a batch
-- (the lake tables have no key index to refuse it at COMMIT; model/schema.py says why).
-- {keys} are identifiers filled in by warehouse.duck.sql_on_table from model/schema.py's fixed
-- tables, never from input; $files is a parameter.
SELECT count(*) AS repeated
FROM (
    SELECT {keys}
    FROM read_parquet($files, hive_partitioning = true, hive_types = {'month': 'VARCHAR'})
    GROUP BY ALL
    HAVING count(*) > 1
);
