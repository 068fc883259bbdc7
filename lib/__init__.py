"""All logic of the app: plain Python, importable and testable without a running server."""
