-- Raise the writer's memory cap when a load ran out of memory (warehouse/duck.py, _transaction).
SET memory_limit = $limit;
