"""The import-places command."""
