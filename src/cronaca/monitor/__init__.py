"""Monitoring: story-events merged across reports and languages, dyad analytics, alerts, exports."""
