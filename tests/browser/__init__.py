"""Browser journeys: a live server driven through Chromium, every page checked with axe-core."""
