"""Local Confluent Cloud API simulator for tests (see confluent_sim.py and README.md)."""
