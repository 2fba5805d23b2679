-- Which (article, source) pairs the warehouse already records; pairs is a registered Arrow table.
SELECT p.article_id, p.source
FROM pairs AS p
JOIN article_sources AS s USING (article_id, source);
