-- The lake files some load has recorded (the rest were published by a run that died before loading them).
SELECT path FROM lake_files;
