-- Which of a batch's articles the warehouse already holds, by id or by identical text.
-- batch_keys is a registered Arrow table (article_id, content_hash). Two equi-joins
-- (not one OR join) so DuckDB can hash-join both.
SELECT b.article_id, a.article_id AS stored_id
FROM batch_keys AS b JOIN articles AS a ON a.article_id = b.article_id
UNION
SELECT b.article_id, a.article_id AS stored_id
FROM batch_keys AS b JOIN articles AS a ON a.content_hash = b.content_hash;
