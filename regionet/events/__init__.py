"""Events of any organiser: webinars, forum meetings and network meetings, with registration."""
