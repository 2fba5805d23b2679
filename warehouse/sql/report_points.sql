-- `incidents report`: the map's points, events of one type at one place counted together.
SELECT event_type, latitude, longitude, count(*) AS events, sum(n_articles) AS reports
FROM events
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
  AND ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
GROUP BY ALL
ORDER BY events DESC, event_type, latitude, longitude;
