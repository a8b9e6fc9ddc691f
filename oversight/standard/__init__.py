"""The service standard as the ministry reads it: one set of selectors for the first screen,
the offices API, the monthly office reports and the public statistics."""
