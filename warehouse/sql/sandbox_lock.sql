-- The sandbox, step 3: every later SET/RESET fails, so no statement can undo steps 1 and 2.
SET lock_configuration = $value;
