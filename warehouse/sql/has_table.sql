-- Whether the warehouse has table $name yet (an old or new warehouse may lack some).
SELECT count(*) FROM information_schema.tables WHERE table_name = $name;
