-- `incidents report`: the regions and districts with the most events in the window, by type.
-- A region's own row has admin2 NULL (level 'region'); districts are counted where an event has one.
SELECT 'region' AS level, country, admin1, NULL AS admin2, count(*) AS events,
       count(*) FILTER (WHERE event_type = 'interception') AS interceptions,
       count(*) FILTER (WHERE event_type = 'impact') AS impacts,
       sum(n_articles) AS reports
FROM events
WHERE admin1 IS NOT NULL
  AND ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
GROUP BY ALL
UNION ALL
SELECT 'district', country, admin1, admin2, count(*),
       count(*) FILTER (WHERE event_type = 'interception'),
       count(*) FILTER (WHERE event_type = 'impact'),
       sum(n_articles)
FROM events
WHERE admin2 IS NOT NULL
  AND ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
GROUP BY ALL
ORDER BY level DESC, events DESC, admin1, admin2;
