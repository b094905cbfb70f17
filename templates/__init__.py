"""Jinja2 templates shipped with configgen; read them through configgen.resources."""
