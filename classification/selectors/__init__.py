"""Every read the pages need, one module per page or concern; writes live in services."""
