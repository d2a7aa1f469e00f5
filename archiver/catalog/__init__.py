"""The catalog: the source of truth for what is archived. SQL lives only in this package."""
