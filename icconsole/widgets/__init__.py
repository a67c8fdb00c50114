"""Widgets: render what core functions compute."""
