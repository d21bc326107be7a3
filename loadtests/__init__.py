"""Locust load profiles (run headless against 127.0.0.1)."""
