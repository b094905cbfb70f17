"""``configgen render``: a spec in, verified Helm values and HOCON files out."""
