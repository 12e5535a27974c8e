"""`python3 -m furuta_sweep ...`: checks the Python dependencies, then runs the CLI."""

import sys

try:
    import optuna  # noqa: F401
    import sqlalchemy  # noqa: F401
    import yaml  # noqa: F401
except ImportError as error:
    print(f"error: furuta sweep needs Optuna: {error.name} is missing for {sys.executable}.\n"
          f"Install the pinned versions with: {sys.executable} -m pip install -r scripts/requirements-test.txt\n"
          f"(or run scripts/install-deps.sh)", file=sys.stderr)
    sys.exit(3)

from .cli import main

sys.exit(main())
