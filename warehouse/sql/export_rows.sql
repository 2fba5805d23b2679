-- The rows `incidents export` writes: every column of one table (incidents or events), with an
-- event_date from $since to $until, both inclusive (a null bound: no limit on that side). A row
-- without event_date cannot be placed in a window, so it is left out when a bound is given, and
-- kept when none is. {table} and {keys} are identifiers filled in by warehouse.duck.sql_on_table
-- from model/schema.py's fixed tables (the CLI offers incidents or events; never user text).
SELECT *
FROM {table}
WHERE ($since IS NULL OR event_date >= $since)
  AND ($until IS NULL OR event_date <= $until)
ORDER BY event_date, {keys};
