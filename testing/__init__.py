"""Test support shared by ``tests/`` and ``scripts/``; not part of the shipped package.

``paths`` (where test data lives), ``cli`` (running configgen in-process and reading its
output), ``hocon_oracle`` and ``yaml_oracle`` (the real consumers: Lightbend config and Helm's
Go YAML code), ``golden`` (the golden report cases), ``fuzz`` (the fuzzing strategies and
properties).  Tests and scripts import from here; no test imports a script or another test.
"""
