"""Admins: owners and admins, and their audited changes to elections and missions."""
