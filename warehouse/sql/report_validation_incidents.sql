-- `incidents report`, Data Docs: the incidents the last run ($run_id) loaded, with the length of
-- their article's text (evidence offsets must stay inside it), to run the contract again.
SELECT i.*, length(a.text) AS _article_length
FROM incidents AS i
LEFT JOIN articles AS a USING (article_id)
WHERE i.run_id = $run_id
ORDER BY i.incident_id;
