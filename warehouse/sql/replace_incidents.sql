-- Swap the reprocessed articles' incidents for the new ones (inside one transaction).
-- reprocessed is a registered Arrow table of article ids; $files the staged new incidents.
DELETE FROM incidents WHERE article_id IN (SELECT article_id FROM reprocessed);
