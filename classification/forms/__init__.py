"""Forms by concern: kampung records, the verification workflow, accounts and login, filters."""
