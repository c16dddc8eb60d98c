"""Benchmarks (issue #3). Not tests: nothing here is collected by pytest.

See bench/README.md for what each script measures and how to run it.
"""
