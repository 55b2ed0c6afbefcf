"""Voting abroad: Kazakhstan's embassies and consulates, looked up by country, city or
location, with only confirmed fields shown."""
