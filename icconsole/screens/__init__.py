"""Screens: each composes widgets and routes messages; none holds SQL."""
