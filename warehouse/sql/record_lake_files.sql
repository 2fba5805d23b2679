-- Mark lake files as loaded (same transaction as the load), from the registered Arrow table new_lake_files.
INSERT OR REPLACE INTO lake_files BY NAME SELECT * FROM new_lake_files;
