"""Browser end-to-end tests: Playwright (Debian chromium) against a real ``streamlit run``.

A package, so that these modules' names (``test_concurrency`` ...) never collide with unit
test modules of the same name elsewhere under ``tests/``.
"""
