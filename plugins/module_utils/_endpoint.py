# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which endpoints a credential may be sent to: https://, or plain http:// to this machine only.

Standard library only: the simulator (tests/simulator) loads this file to refuse listening beyond loopback by the
same rule.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://api.confluent.cloud"


def validate_endpoint(url, setting="api_endpoint", example=DEFAULT_ENDPOINT):
    """The endpoint without a trailing slash; ValueError unless https, or http to a loopback host.

    ``setting`` is what the user set, named in the messages: the option, or the environment variable it fell back to;
    ``example`` is a valid value to show.
    """
    parsed = urlsplit((url or "").strip())
    scheme = parsed.scheme.lower()
    if scheme not in ("https", "http") or not parsed.hostname:
        raise ValueError(
            "%s must be an absolute https:// URL such as %s (http:// is accepted for a loopback address only, such "
            "as http://127.0.0.1:8080), got %r" % (setting, example, _without_userinfo(url)))
    if parsed.username or parsed.password or parsed.query or parsed.fragment:
        # Not quoted: a user:password or a token in the query would be a secret.
        raise ValueError("%s must not carry credentials, a query or a fragment" % setting)
    if scheme == "http" and not is_loopback(parsed.hostname):
        raise ValueError(
            "Refusing plain http:// to %s, the host of %s: API credentials would travel in clear text. "
            "Use https://, or http:// only to a loopback address (localhost, 127.0.0.0/8, ::1)."
            % (parsed.hostname, setting)
        )
    return url.strip().rstrip("/")


def _without_userinfo(url):
    """The URL as a message may show it: whatever precedes an "@" may be a password."""
    return re.sub(r"[^/@]*@", "***@", str(url))


def is_loopback(host):
    """Whether host names only this machine: localhost, 127.0.0.0/8 or ::1, with or without the brackets of a URL.

    An empty host (every address, to a server) is not loopback.
    """
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
