-- `incidents report`: the $limit latest events of the window (by day, then last report), each with
-- its member reports: outlet, link, title and the figures each gives (the disagreement between them).
WITH latest AS (
    SELECT * FROM events
    WHERE ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
    ORDER BY event_date DESC NULLS LAST, last_published DESC NULLS LAST, event_id
    LIMIT $limit
)
SELECT e.event_id, e.event_date, e.event_type, e.weapon, e.country, e.admin1, e.admin2, e.locality,
       e.n_incidents, e.n_articles, e.n_sources, e.quantity_min, e.quantity_max, e.quantity_best,
       e.killed_min, e.killed_max, e.killed_best, e.injured_min, e.injured_max, e.injured_best,
       e.last_published, e.evidence,
       m.incident_id, m.source, a.url, a.title, a.published, i.event_type AS member_type,
       i.quantity, i.killed, i.injured
FROM latest AS e
JOIN event_members AS m USING (event_id)
LEFT JOIN articles AS a ON a.article_id = m.article_id
LEFT JOIN incidents AS i ON i.incident_id = m.incident_id
ORDER BY e.event_date DESC NULLS LAST, e.last_published DESC NULLS LAST, e.event_id, a.published, m.incident_id;
