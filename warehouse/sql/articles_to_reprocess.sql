-- Stored articles whose incidents were not all extracted by the current extractor version
-- ($version), or every article when $everything. Articles without incidents are always
-- included: nothing records that they were checked, and the prefilter makes them cheap.
SELECT a.article_id, a.text, a.title, a.published, a.language, a.month
FROM articles AS a
WHERE $everything
   OR NOT EXISTS (
        SELECT 1 FROM incidents AS i
        WHERE i.article_id = a.article_id AND i.extractor_version = $version)
   OR EXISTS (
        SELECT 1 FROM incidents AS i
        WHERE i.article_id = a.article_id AND i.extractor_version <> $version)
ORDER BY a.article_id;
