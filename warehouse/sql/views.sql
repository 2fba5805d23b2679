-- Analyst-facing views over the loaded tables (recreated on every load; cheap).

-- Each incident with its article's provenance.
CREATE OR REPLACE VIEW incidents_with_source AS
SELECT i.*, a.source, a.url, a.title, a.published, a.language
FROM incidents AS i
LEFT JOIN articles AS a USING (article_id);

-- Daily counts per region and event type: the usual first question.
CREATE OR REPLACE VIEW daily_region_summary AS
SELECT event_date, country, admin1, event_type,
       count(*)            AS incidents,
       sum(quantity)       AS weapons_reported,
       sum(killed)         AS killed,
       sum(injured)        AS injured
FROM incidents
GROUP BY ALL;
