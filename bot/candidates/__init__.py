"""Candidates: the directory (browsing, name search in any script, areas, parties,
statistics), the validated CSV import and export, rendering, and labelled sample data."""
