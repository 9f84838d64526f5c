"""The API families of the simulator, one module each: its models, seed section, state and route table.

To add an API family, write its module here (see README.md, "Adding an API family") and add one line below.
The order matters: a family's seed is read after those above it (org first: API keys point at its clusters), its
part of /_sim/state comes in this order, and so does the order in which its routes are tried.
"""

from __future__ import annotations

from importlib import import_module

NAMES = (
    "org",  # org/v2 environments
    "cmk",  # cmk/v2 Kafka clusters
    "kafkarest",  # Kafka REST v3 topics, inside the clusters
    "connect",  # connect/v1 connectors
    "iam",  # iam/v2 service accounts
    "apikeys",  # iam/v2 API keys
    "ksqldbcm",  # ksqldbcm/v2 ksqlDB clusters
    "fcpm",  # fcpm/v2 Flink compute pools
)

FAMILIES = tuple(import_module("." + name, __name__).FAMILY for name in NAMES)
