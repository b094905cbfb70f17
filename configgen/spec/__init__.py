"""The token spec: one bootstrap service token, from a file, flags and a token source."""
