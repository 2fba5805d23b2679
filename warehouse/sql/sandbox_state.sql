-- Whether the sandbox holds: external access off and the configuration locked.
SELECT current_setting('enable_external_access'), current_setting('lock_configuration');
