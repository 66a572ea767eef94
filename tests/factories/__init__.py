"""All factory_boy factories of the test suite, one module per app, re-exported here."""
