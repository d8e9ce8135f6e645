"""`python -m generator` is the `oagen` command."""

from generator.cli import main

raise SystemExit(main())
