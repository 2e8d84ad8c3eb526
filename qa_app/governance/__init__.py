"""Governance: people and teams, who viewed what, the event log, retention and data protection."""
