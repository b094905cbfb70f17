"""``configgen lint``: files in, findings out; project configuration, suppressions, reports."""
