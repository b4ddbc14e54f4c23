"""Test hosts other than our own: MIS apps written the way real ones are (issue 10)."""
