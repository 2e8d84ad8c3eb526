"""Moderation: a second person agrees with or re-grades each judgement of a sampled audit."""
