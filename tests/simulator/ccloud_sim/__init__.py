"""The Confluent Cloud API simulator as a package (standard library only).

``tests/simulator/confluent_sim.py`` is its command line and the module that tests and tools import; see
``tests/simulator/README.md`` for the layout.
"""
