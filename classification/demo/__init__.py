"""Demo data for a district: baseline regions and levels, drawn records and activities."""
