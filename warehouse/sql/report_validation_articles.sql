-- `incidents report`, Data Docs: the articles the last run ($run_id) loaded, as its contract saw
-- them (the text as its length, like expectations.validate.frame_for), to run the contract again.
SELECT * EXCLUDE (text), length(text) AS _text_length
FROM articles
WHERE run_id = $run_id
ORDER BY article_id;
