"""Management commands of the places app."""
