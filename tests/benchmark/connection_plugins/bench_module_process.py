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

import fcntl
import os
import re

from ansible.plugins.connection.local import Connection as LocalConnection

MODULE_FILE = re.compile(r"AnsiballZ_(\w+)\.py")


class Connection(LocalConnection):
    transport = "bench_module_process"

    def exec_command(self, cmd, in_data=None, sudoable=True):
        path = os.environ.get("BENCH_MODULE_PROCESSES")
        text = cmd if isinstance(cmd, str) else cmd.decode("utf-8", "replace") if isinstance(cmd, bytes) else " ".join(cmd)
        match = MODULE_FILE.search(text)
        # Without pipelining a module takes three commands: chmod of its file, its run, and rm of its directory.
        if path and match and "chmod " not in text and "rm -f -r" not in text:
            with open(path, "a", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.write(match.group(1) + "\n")
        return super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
