"""The demo: one command that sets up a working site with real places and demo accounts."""
