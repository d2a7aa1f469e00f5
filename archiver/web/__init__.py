"""`archiver serve`: the archive in a browser and a JSON API, both on the same core as the CLI."""
