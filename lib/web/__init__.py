"""The web side of the app outside Streamlit: Starlette routes, middleware and the HTML forms they serve.

``auth_web`` (the account routes and their cookies), ``account_forms`` (the forms those routes receive),
``http_headers`` (security headers on every response) and ``media_guard`` (who may fetch a built file).
Nothing outside ``lib/web/`` and ``lib/ui/`` imports Starlette (tests/test_boundaries.py).
"""
