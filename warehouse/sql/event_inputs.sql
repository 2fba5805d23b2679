-- What the merge into events reads (transforms/events.py): every incident with its article's
-- publication date, which stands in for an event date the text does not give, and its count (equal
-- counts equate a region-wide interception with one at a town inside it).
SELECT i.incident_id, i.article_id, i.event_type, i.weapon, i.admin1, i.admin2, i.locality, i.quantity,
       i.event_date, i.date_precision, a.published
FROM incidents AS i
LEFT JOIN articles AS a USING (article_id);
