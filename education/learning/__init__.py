"""Staff learning (issue 10): staff-only guides, study records and a head's view of progress."""
