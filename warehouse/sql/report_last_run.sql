-- `incidents report`: the last run of the pipeline (not a reprocess), and the extractor versions
-- the incidents in the warehouse were made by. A rerun that found nothing new writes no `runs`
-- row; the sources' `source_state` rows say when they were last checked.
SELECT r.run_id, r.started_at, r.finished_at, r.status, r.sources_read, r.sources_failed,
       r.source_errors, r.articles_read, r.articles_new, r.incidents_extracted, r.rows_quarantined,
       r.extractor_version,
       (SELECT string_agg(DISTINCT extractor_version, ', ' ORDER BY extractor_version) FROM incidents) AS versions_in_use,
       (SELECT max(updated_at) FROM source_state) AS last_checked
FROM runs AS r
WHERE r.kind = 'run'
ORDER BY r.finished_at DESC NULLS LAST, r.run_id DESC
LIMIT 1;
