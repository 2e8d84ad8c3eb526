"""Audit templates: the YAML format, its parser and emitter, version diffs and Excel exchange.

Pure Python with no web framework imports, so it can be used from the command line and tests.
"""
