"""Popups: `eligibility` decides which campaigns may be armed on a page view (caps, cool-downs,
audience), `timing` applies the published timing models to the current session."""
