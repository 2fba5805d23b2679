-- Rows in table $table (query_table takes the name as a value; callers pass names from model/schema.py).
SELECT count(*) FROM query_table($table);
