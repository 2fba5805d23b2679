-- Remember how a source looked (ETag, Last-Modified, file fingerprint) for the next run.
INSERT OR REPLACE INTO source_state BY NAME SELECT * FROM new_source_state;
