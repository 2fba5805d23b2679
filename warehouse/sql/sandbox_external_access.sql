-- The sandbox, step 2: no other file, no URL, no extension, no ATTACH.
SET enable_external_access = $value;
