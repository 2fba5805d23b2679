-- `incidents report`: the period and totals of the events with an event_date from $since to $until
-- (both inclusive; a null bound: no limit on that side; undated events only when no bound is given,
-- as in export_rows.sql). Killed and injured are the sums of each event's lowest and highest report.
WITH ev AS (
    SELECT * FROM events
    WHERE ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
), members AS (
    SELECT m.* FROM event_members AS m JOIN ev USING (event_id)
)
SELECT
    (SELECT min(event_date) FROM ev)                                AS first_day,
    (SELECT max(event_date) FROM ev)                                AS last_day,
    (SELECT count(*) FROM ev)                                       AS events,
    (SELECT count(*) FROM ev WHERE event_date IS NULL)              AS undated_events,
    (SELECT count(*) FROM members)                                  AS incidents,
    (SELECT count(DISTINCT article_id) FROM members)                AS articles,
    (SELECT count(DISTINCT s.source) FROM article_sources AS s
        WHERE s.article_id IN (SELECT article_id FROM members))     AS sources,
    (SELECT sum(killed_min) FROM ev)                                AS killed_min,
    (SELECT sum(killed_max) FROM ev)                                AS killed_max,
    (SELECT sum(injured_min) FROM ev)                               AS injured_min,
    (SELECT sum(injured_max) FROM ev)                               AS injured_max;
