"""The complaints API: `public` (reporters, no login) and `staff` (scoped, authenticated)."""
