-- Remember what a derived table was built from (same transaction as the build), from the
-- registered Arrow table new_derived_state.
INSERT OR REPLACE INTO derived_state BY NAME SELECT * FROM new_derived_state;
