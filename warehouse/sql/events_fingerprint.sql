-- A fingerprint of everything the events mart is built from: the incidents' columns it reads,
-- the articles' publication dates and sources, and every source of each article. Sums of row
-- hashes, so row order does not matter; the rebuild is skipped while it is unchanged.
SELECT concat_ws('|',
    (SELECT count(*) || ':' || coalesce(sum(hash(
                incident_id, article_id, event_type, weapon, country, admin1, admin2, locality,
                latitude, longitude, geo_precision, event_date, date_precision, quantity, killed,
                injured, evidence, month)), 0)
     FROM incidents),
    (SELECT count(*) || ':' || coalesce(sum(hash(article_id, published, source)), 0) FROM articles),
    (SELECT count(*) || ':' || coalesce(sum(hash(article_id, source)), 0) FROM article_sources)
) AS fingerprint;
