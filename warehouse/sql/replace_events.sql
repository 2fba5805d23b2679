-- Rebuild the events mart from scratch, inside the caller's transaction (readers see the old
-- mart or the new one). event_assignments is a registered Arrow table from transforms/events.py:
-- (incident_id, event_id, event_date, date_precision), one row per incident; event_date is null
-- where neither the text nor the publication gives a day, and then the incident's own is kept.
DELETE FROM event_members;
DELETE FROM events;

INSERT INTO event_members BY NAME
SELECT x.event_id, x.incident_id, i.article_id, a.source
FROM event_assignments AS x
JOIN incidents AS i USING (incident_id)
LEFT JOIN articles AS a USING (article_id);

INSERT INTO events BY NAME
WITH m AS MATERIALIZED (
    SELECT e.event_id, e.incident_id, e.article_id, i.geo_precision, i.admin2, i.locality, i.weapon,
           i.quantity, i.killed, i.injured, a.published,
           -- a report without a publication date counts as the oldest
           coalesce(a.published, TIMESTAMPTZ '0001-01-01 00:00:00+00') AS reported
    FROM event_members AS e
    JOIN incidents AS i ON i.incident_id = e.incident_id
    LEFT JOIN articles AS a ON a.article_id = e.article_id
),
-- "best": the figure of the most recently published report that gives one (on a tie, the larger:
-- figures grow as the day goes on). Members' weapons never disagree (null fits any), so max() is it.
-- rep_id: the member that stands for the event's place and evidence (the finest place, then the
-- smallest id).
agg AS (
    SELECT event_id,
           count(*) AS n_incidents,
           count(DISTINCT article_id) AS n_articles,
           max(weapon) AS weapon,
           min(quantity) AS quantity_min, max(quantity) AS quantity_max,
           min(killed) AS killed_min, max(killed) AS killed_max,
           min(injured) AS injured_min, max(injured) AS injured_max,
           arg_max(quantity, {'at': reported, 'n': quantity}) FILTER (WHERE quantity IS NOT NULL) AS quantity_best,
           arg_max(killed, {'at': reported, 'n': killed}) FILTER (WHERE killed IS NOT NULL) AS killed_best,
           arg_max(injured, {'at': reported, 'n': injured}) FILTER (WHERE injured IS NOT NULL) AS injured_best,
           min(published) AS first_published,
           max(published) AS last_published,
           arg_min(incident_id, {
               'coarse': CASE geo_precision WHEN 'locality' THEN 0 WHEN 'admin2' THEN 1 ELSE 2 END,
               'no_admin2': admin2 IS NULL, 'no_locality': locality IS NULL, 'id': incident_id
           }) AS rep_id
    FROM m
    GROUP BY event_id
),
-- every source that carried a member's article (article_sources), the first one included
sources AS (
    SELECT event_id, count(DISTINCT source) AS n_sources
    FROM (
        SELECT event_id, source FROM event_members WHERE source IS NOT NULL
        UNION ALL
        SELECT d.event_id, s.source
        FROM (SELECT DISTINCT event_id, article_id FROM event_members) AS d
        JOIN article_sources AS s USING (article_id)
    )
    GROUP BY event_id
)
SELECT agg.* EXCLUDE (rep_id),
       CASE WHEN i.event_type = 'interception' THEN 'interception' ELSE 'impact' END AS event_type,
       i.country, i.admin1, i.admin2, i.locality, i.latitude, i.longitude, i.geo_precision,
       coalesce(x.event_date, i.event_date) AS event_date,
       CASE WHEN x.event_date IS NOT NULL THEN x.date_precision
            ELSE coalesce(i.date_precision, 'unknown') END AS date_precision,
       coalesce(sources.n_sources, 0) AS n_sources,
       i.evidence,
       coalesce(strftime(coalesce(x.event_date, i.event_date), '%Y-%m'), i.month) AS month
FROM agg
JOIN incidents AS i ON i.incident_id = agg.rep_id
JOIN event_assignments AS x ON x.incident_id = agg.rep_id
LEFT JOIN sources ON sources.event_id = agg.event_id;
