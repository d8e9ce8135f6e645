"""Runtime modules copied verbatim into every generated package (every module here but this one).

`_runtime.py` is the facade generated code imports; the private modules beside it each hold one
concern (errors, descriptors, validation, retry policy, requests, clients), and `_cli_runtime.py`
runs the CLI. A package here only so that mypy can check them in place.
"""
