-- The events mart's recorded fingerprint and row count, if it was ever built.
SELECT fingerprint, rows FROM derived_state WHERE name = $name
