-- The rows `incidents export` writes: every column of one table (incidents or events), with an
-- event_date from $since to $until, both inclusive (a null bound: no limit on that side). A row
-- without event_date cannot be placed in a window, so it is left out when a bound is given, and
-- kept when none is. {table} and {key} are the CLI's fixed choices (never user text).
SELECT *
FROM {table}
WHERE ($since IS NULL OR event_date >= $since)
  AND ($until IS NULL OR event_date <= $until)
ORDER BY event_date, {key};
