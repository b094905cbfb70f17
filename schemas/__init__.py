"""JSON Schemas shipped with configgen; read them through configgen.resources."""
