"""What a run needs and both the CLI (`incidents/`) and the flows (`flows/`) use: settings, the
sources file and the one-run-per-data-directory lock. Kept apart from the CLI so that the CLI is
the only importer of `flows`, never the other way round."""
