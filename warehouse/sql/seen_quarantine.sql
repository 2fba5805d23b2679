-- Which of a batch's quarantine rows the warehouse already holds (the same record failing the
-- same rule for the same reason, found again when its source is read again).
-- batch_quarantine is a registered Arrow table (quarantine_id).
SELECT b.quarantine_id
FROM batch_quarantine AS b JOIN quarantine AS q ON q.quarantine_id = b.quarantine_id;
