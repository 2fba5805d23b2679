-- Rows of the events mart just rebuilt.
SELECT count(*) FROM events
