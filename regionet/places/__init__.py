"""Reference geography: countries, regions, sub-regions and municipalities with their years."""
