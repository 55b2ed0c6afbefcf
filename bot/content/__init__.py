"""The content files in ``content/``: reference data (elections, areas, parties, missions)
validated and loaded, and the whole content as a zip (export, checked import)."""
