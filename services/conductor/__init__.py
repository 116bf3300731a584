"""The conductor: the agents' only road to the database, and home of long flows."""
