# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local connection under another name, for tests/benchmark: the module-process path, on the controller.

The collection's action plugins run a module's code in Ansible's worker process only on a connection whose
transport is ``local`` (without become or async). This plugin does exactly what the local connection does, so
``ansible.builtin.uri`` and ``ansible.builtin.ping`` run as they always do, but under another transport name: the
collection's modules then start a Python process of their own, as they do on a remote host, with become or with
async, without the cost of ssh, sudo or async polling. Each command that starts a module is counted, by module, in
the file named by the environment variable BENCH_MODULE_PROCESSES, so that the benchmark can check which path ran.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_module_process
short_description: The local connection under another transport name, for the benchmark
description:
  - Runs commands on the controller like the local connection, under the transport name bench_module_process.
author: kafkaops maintainers (@kafkaops)
options:
  become_success_timeout:
    type: int
    default: 10
    description:
      - As for the local connection.
    vars:
      - name: ansible_local_become_success_timeout
  become_strip_preamble:
    type: bool
    default: true
    description:
      - As for the local connection.
    vars:
      - name: ansible_local_become_strip_preamble
extends_documentation_fragment:
  - connection_pipelining
"""

from ansible.plugins.loader import connection_loader

# The counting local connection of bench_local.py, loaded by Ansible from this same folder.
CountingLocalConnection = connection_loader.get("bench_local", class_only=True)


class Connection(CountingLocalConnection):
    transport = "bench_module_process"
