"""Every write that matters: levels, records, regions, verification, accounts, edit conflicts."""
