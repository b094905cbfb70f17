"""Time configgen against check-jsonschema and yamllint, side by side, and check the targets.

    python -m benchmarks [--quick] [--out FILE]      (from the repository root)

See benchmarks/README.md for what is measured and how.
"""
