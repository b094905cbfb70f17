"""Test support shared by ``tests/`` and ``scripts/``; not part of the shipped package.

``paths`` (where test data lives), ``cli`` (running configgen in-process and reading its
output), ``hocon_oracle``, ``yaml_oracle`` and ``helm_chart`` (the real consumers: Lightbend
config, Helm's Go YAML code, and real Helm rendering the server charts), ``golden`` (the golden
report cases), ``fuzz`` (the fuzzing strategies and properties).  Tests and scripts import from
here; no test imports a script or another test.
"""
