-- `incidents report`: rows quarantined, by table and rule, in all runs and in the last one ($run_id).
SELECT table_name, rule, count(*) AS rows, count(*) FILTER (WHERE run_id = $run_id) AS last_run
FROM quarantine
GROUP BY ALL
ORDER BY rows DESC, table_name, rule;
