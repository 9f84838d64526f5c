"""The command line (``python3 tests/simulator/confluent_sim.py --seed ... --port ... --print-env``) and
``start_simulator`` for Python callers."""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import shlex
import signal
import ssl
import sys
import time
from pathlib import Path

from .common import SeedError
from .seed import load_seed_file
from .simulator import Simulator


def start_simulator(seed=None, port=0, **opts) -> Simulator:
    """Start a simulator in background threads and return it (call ``.stop()`` when done)."""
    return Simulator(seed, port=port, **opts).start()


def _collection_endpoint_rules():
    """The collection's own ``plugins/module_utils/_endpoint.py`` (standard library only), read from this checkout or
    installed collection: the simulator refuses to listen beyond loopback by the rule with which the modules refuse
    plain http:// beyond it."""
    path = Path(__file__).resolve().parents[3] / "plugins" / "module_utils" / "_endpoint.py"
    spec = importlib.util.spec_from_file_location("kafkaops_confluent_cloud_endpoint_rules", path)
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    return rules


is_loopback = _collection_endpoint_rules().is_loopback


def credential_exports(url, seed):
    """The ``export`` line that points the collection's modules at ``url`` with the seed's first credential.

    The first API-key credential is preferred (it is what a Cloud API key looks like to the modules), except a cluster
    API key, which the Cloud API refuses; else the first token. A seed without credentials accepts any, so a
    placeholder key and secret are given.
    """
    credentials = [item for item in seed.get("credentials") or [] if isinstance(item, dict)]
    cluster_keys = {key.get("id") for key in seed.get("api_keys") or []
                    if isinstance(key, dict) and key.get("resource", "cloud") != "cloud"}
    basic = [item for item in credentials if "api_key" in item and item["api_key"] not in cluster_keys]
    tokens = [item for item in credentials if "token" in item]
    pairs = [("CONFLUENT_CLOUD_API_ENDPOINT", url)]
    if basic:
        pairs += [("CONFLUENT_CLOUD_API_KEY", basic[0]["api_key"]), ("CONFLUENT_CLOUD_API_SECRET", basic[0]["api_secret"])]
    elif tokens:
        pairs += [("CONFLUENT_CLOUD_ACCESS_TOKEN", tokens[0]["token"])]
    else:
        pairs += [("CONFLUENT_CLOUD_API_KEY", "any-key"), ("CONFLUENT_CLOUD_API_SECRET", "any-secret")]
    return "export " + " ".join("%s=%s" % (name, shlex.quote(str(value))) for name, value in pairs)


def rehearse_text(url, seed, seed_path):
    """What --print-env prints: shell comments around the one line to paste, so pasting all of it does no harm."""
    counts = "%d environments, %d service accounts, %d API keys" % tuple(
        len(seed.get(key) or []) for key in ("environments", "service_accounts", "api_keys"))
    lines = [
        "# Confluent Cloud API simulator listening at %s" % url,
        "# seeded from %s: %s" % (seed_path or "no seed (an empty organisation)", counts),
        "# Paste this line into the shell that runs ansible-playbook:",
        credential_exports(url, seed),
        "# Preview the cleanup: ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-'",
        "# What is left:        curl -s %s/_sim/state" % url,
        "# Reset to the seed:   curl -s -X POST %s/_sim/reset >/dev/null" % url,
        "# Stop: Ctrl-C here. Nothing is kept: the next start begins from the seed again.",
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Local Confluent Cloud API simulator")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1); only loopback without --allow-non-loopback")
    parser.add_argument("--allow-non-loopback", action="store_true",
                        help="let --host be an address other machines can reach; they could then use the "
                             "seed's credentials, which are no secret")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", help="seed document (JSON, or YAML with PyYAML)")
    parser.add_argument("--delete-delay", type=float, help="seconds a deleted environment or cluster stays visible")
    parser.add_argument("--rate-limit", type=int, help="requests per window and credential (0 = no limit)")
    parser.add_argument("--rate-window", type=float, help="rate-limit window in seconds")
    parser.add_argument("--tls-cert", help="PEM certificate; serve https")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--url-file", help="also write the URL to this file")
    parser.add_argument("--verbose", action="store_true", help="one stderr line per request")
    parser.add_argument("--print-env", action="store_true",
                        help="once listening, print for a person (instead of the bare URL) the export line of "
                             "CONFLUENT_CLOUD_API_ENDPOINT and the seed's first credential, and how to inspect, reset "
                             "and stop the simulator")
    parser.add_argument("--idle-exit", type=float, default=0,
                        help="exit after this many seconds without any request (0 = never), so a simulator "
                             "started in the background by a test cannot outlive it")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    # The seeded credentials are printed and documented, so anyone who can reach the port can use them.
    if not is_loopback(args.host) and not args.allow_non_loopback:
        parser.error("--host %s is not a loopback address (localhost, 127.0.0.0/8, ::1); add --allow-non-loopback "
                     "to let other machines reach the simulator" % (args.host or "''"))
    return args


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        seed = load_seed_file(args.seed) if args.seed else {}
        sim = Simulator(seed, host=args.host, port=args.port, delete_delay=args.delete_delay,
                        rate_limit=args.rate_limit, rate_window=args.rate_window,
                        tls_cert=args.tls_cert, tls_key=args.tls_key, verbose=args.verbose)
        sim.start()
    except (OSError, SeedError, ssl.SSLError) as exc:
        sys.stderr.write("confluent-sim: %s\n" % exc)
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            sys.stderr.write("confluent-sim: port %d is taken; choose another with --port (0: any free port)\n"
                             % args.port)
        return 2

    # A plain list, not an Event: a signal handler that takes a lock the interrupted main
    # thread already holds would deadlock.
    received = []

    def _on_signal(signum, frame):
        received.append(signum)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sys.stdout.write(rehearse_text(sim.url, seed, args.seed) if args.print_env else sim.url + "\n")
    sys.stdout.flush()
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(sim.url + "\n")
        os.replace(tmp, args.url_file)
    try:
        while not received:
            if args.idle_exit and time.monotonic() - sim.last_activity > args.idle_exit:
                sys.stderr.write("confluent-sim: idle for %g s, exiting\n" % args.idle_exit)
                break
            time.sleep(0.1)
    finally:
        sim.stop()
    return 0
