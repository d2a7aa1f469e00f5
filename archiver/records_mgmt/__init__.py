"""Records management: retention, legal holds, disposal, evidence export. Checked inside `Archive`."""
