"""Public pages: the front page, the signed-in user's page and the statutory notices."""
