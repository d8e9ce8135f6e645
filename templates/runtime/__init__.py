"""Runtime modules copied verbatim into every generated package.

A package here only so that mypy can check them in place.
"""
