"""The pure rules of the dashboards: small-cell suppression (no Django models, no database, no clock)."""
