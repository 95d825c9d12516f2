"""Board and director dashboards: aggregates only, with small-cell suppression (PRODUCT.md capability 8)."""
