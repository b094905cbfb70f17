"""configgen: render and lint StackState bootstrap service-token configuration."""

__version__ = "0.1.0"
