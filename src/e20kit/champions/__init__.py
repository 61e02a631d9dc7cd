"""The champion programme."""
