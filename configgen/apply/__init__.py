"""``configgen apply``: the token put into existing files, by editing only the lines it owns."""
