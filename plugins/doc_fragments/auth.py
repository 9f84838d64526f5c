# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - ID of a Confluent Cloud API key (a B(Cloud) API key, not a cluster API key), sent with O(api_secret) as HTTP Basic authentication.
      - If not set, the environment variable E(CONFLUENT_CLOUD_API_KEY) is used.
      - Give either O(api_key) and O(api_secret), or O(access_token).
    type: str
  api_secret:
    description:
      - Secret of the Cloud API key O(api_key).
      - If not set, the environment variable E(CONFLUENT_CLOUD_API_SECRET) is used.
      - Never logged and never returned.
    type: str
  access_token:
    description:
      - An OAuth access token (for example from Confluent's STS token exchange), sent as an C(Authorization) header
        with the C(Bearer) scheme.
      - If not set, the environment variable E(CONFLUENT_CLOUD_ACCESS_TOKEN) is used.
      - Mutually exclusive with O(api_key) and O(api_secret). When one kind of credential comes from a task option and
        the other only from the environment, the task option wins; when both come from the environment the module fails.
      - Never logged and never returned.
    type: str
  api_endpoint:
    description:
      - Base URL of the Confluent Cloud REST API.
      - If not set, the environment variable E(CONFLUENT_CLOUD_API_ENDPOINT) is used, then the default.
      - Must be C(https://). Plain C(http://) is accepted only for a loopback host (C(localhost), C(127.0.0.0/8), C(::1)),
        such as a local API simulator, so that credentials never travel in clear text.
    type: str
    default: https://api.confluent.cloud
  api_timeout:
    description:
      - Seconds allowed, in each attempt of a request, for connecting, for the answer to start, and for the whole answer
        to arrive. An attempt that takes longer counts as timed out and is retried like a dropped connection.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate.
      - To trust a private CA instead of turning this off, point E(REQUESTS_CA_BUNDLE) or E(SSL_CERT_FILE) at its bundle.
      - Set to V(false) only for a test endpoint you trust; the module then warns.
    type: bool
    default: true
requirements:
  - requests >= 2.25.0 (on the host that runs the module, usually C(localhost))
notes:
  - The module talks to the Confluent Cloud API from the host it runs on. Delegate it to C(localhost) (C(delegate_to))
    or run it in a play against C(localhost) with the C(local) connection, unless the managed host should make the calls.
"""
