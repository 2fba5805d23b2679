-- Forget a lake table's recorded files before its rebuilt files are recorded (same transaction).
DELETE FROM lake_files WHERE table_name = $table;
