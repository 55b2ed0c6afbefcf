"""Admins' routers: every handler here is guarded by the sender's user ID."""
