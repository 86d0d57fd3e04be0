"""Management commands: load_region, load_demo, import_kampung, layout."""
