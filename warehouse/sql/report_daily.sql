-- `incidents report`: events per day, type and weapon in the window (dated events only: a chart
-- by day has no place for the others).
SELECT event_date, event_type, coalesce(weapon, 'not said') AS weapon, count(*) AS events
FROM events
WHERE event_date IS NOT NULL
  AND ($since IS NULL OR event_date >= $since) AND ($until IS NULL OR event_date <= $until)
GROUP BY ALL
ORDER BY event_date, event_type, weapon;
