-- `incidents report`, Data Docs: what the validations of the last run ($run_id) found, per table:
-- one Great Expectations suite result over all the batches it validated (GX's JSON).
SELECT table_name, result
FROM validations
WHERE run_id = $run_id
ORDER BY table_name;
