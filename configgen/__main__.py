"""Allow ``python -m configgen``."""

from configgen.cli.fast import run

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess test
    run()
