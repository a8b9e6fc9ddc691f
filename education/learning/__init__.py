"""Staff learning: staff-only guides, study records and a head's view of progress."""
