"""The ``qa`` command line: ``main`` (argv, the parser, and the composition root that wires the UI into
``qa serve`` and eval into ``qa eval``) and ``commands`` (the subcommands that only drive the pipeline)."""

from qa.cli.main import main

__all__ = ["main"]
