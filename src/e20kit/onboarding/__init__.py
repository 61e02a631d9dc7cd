"""Onboarding checklists and nudges."""
