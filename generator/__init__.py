"""oagen: an OpenAPI 3.x document in, a typed Python client, a CLI and Markdown docs out.

The pipeline, one module per stage (see README.md):

    load -> resolve -> validate -> build (IR) -> render -> format -> write

`generator.pipeline.generate` is the pure core (spec path + config -> files + diagnostics);
`generator.cli` wraps it with argument parsing and disk I/O.
"""

__version__ = "0.1.0"
