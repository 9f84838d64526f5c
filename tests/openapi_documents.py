# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of Confluent's OpenAPI documents (in ../shared/confluent-openapi/) describes which path of the API.

The one map that the contract test (tests/contract/contract_harness.py) and the simulator tests
(tests/simulator/simtest.py) share: a new API family is one line here. Import it with the repository's tests/
directory on sys.path: ``import openapi_documents``.
"""

from __future__ import annotations

# (path prefix, family, document file). The longest matching prefix wins; a prefix without a trailing slash matches
# that exact path and everything below it. The family is the short name the simulator tests use for a document.
DOCUMENTS = (
    ("/org/v2/", "org", "org-v2.yaml"),
    ("/connect/v1/", "connect", "connect-v1.yaml"),
    ("/cmk/v2/", "cmk", "cmk-v2.yaml"),
    ("/iam/v2/api-keys", "apikeys", "apikeys-v2.yaml"),
    ("/iam/v2/", "iam", "iam-v2.yaml"),
    ("/ksqldbcm/v2/", "ksqldbcm", "ksqldbcm-v2.yaml"),
    ("/fcpm/v2/", "fcpm", "fcpm-v2.yaml"),
    ("/kafka/v3/", "kafkarest", "kafkarest-v3.yaml"),
)


def document_for(path):
    """The (path prefix, family, document file) entry that describes ``path``, or None if no document does."""
    matches = [entry for entry in DOCUMENTS
               if path == entry[0].rstrip("/") or path.startswith(entry[0].rstrip("/") + "/")]
    return max(matches, key=lambda entry: len(entry[0])) if matches else None


def files():
    """The document files, in the order of DOCUMENTS."""
    return [name for _prefix, _family, name in DOCUMENTS]


def files_by_family():
    """{family: document file}."""
    return {family: name for _prefix, family, name in DOCUMENTS}
