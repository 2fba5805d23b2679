-- The sandbox, step 1: the only directories a file may be opened in (the lake).
SET allowed_directories = $value;
