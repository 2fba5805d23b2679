-- `incidents report`, cross-check with the reference table: per day, our interception events over
-- Ukraine and the weapons they say were shot down (each event's latest figure, quantity_best),
-- and whether we have any event at all that day (the days our sources cover).
SELECT event_date,
       count(*) FILTER (WHERE event_type = 'interception' AND country = 'UA') AS interceptions,
       sum(quantity_best) FILTER (WHERE event_type = 'interception' AND country = 'UA') AS shot_down,
       sum(quantity_best) FILTER (WHERE event_type = 'interception' AND country = 'UA' AND weapon = 'drone') AS drones,
       sum(quantity_best) FILTER (WHERE event_type = 'interception' AND country = 'UA' AND weapon = 'missile') AS missiles,
       count(*) AS events
FROM events
WHERE event_date IS NOT NULL
  AND ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
GROUP BY event_date
ORDER BY event_date;
