# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  api_retries:
    description:
      - How many times to retry a request after the first attempt, when the answer is HTTP 500, 502, 503 or 504, or
        when the connection fails or times out. Other errors (such as 400, 401, 403 and 409) fail at once.
      - An answer of HTTP 429 (Too Many Requests) does not count here. The server did nothing and said when to come
        back, so it is waited out within O(api_rate_limit_timeout) instead.
      - Only the idempotent GET and DELETE requests these modules send are ever retried.
      - The wait before a retry is the server's C(Retry-After) (seconds or an HTTP date) when present, else on a 429 its
        C(X-RateLimit-Reset) (relative seconds), plus a little random jitter so that parallel forks do not retry in step;
        otherwise exponential backoff with full jitter (up to 1, 2, 4, ... seconds, capped by O(api_retry_max_delay)).
      - After the last retry the task fails, naming the number of retries and the last status.
    type: int
    default: 5
  api_retry_max_delay:
    description:
      - The longest single wait between two attempts, in seconds.
      - If the server asks for a longer wait, the task fails at once, naming the requested seconds, instead of sleeping.
      - Also the longest wait before a request for the rate-limit budget; beyond it the request is sent at once.
    type: int
    default: 60
  api_rate_limit_timeout:
    description:
      - The most seconds a task may spend in all waiting on answers of HTTP 429 and on the rate-limit budget of its
        API key, shared with the other runs that use the key; see
        R(the rate limits guide,ansible_collections.kafkaops.confluent_cloud.docsite.rate_limits).
      - When it is spent, or when the server asks for a wait longer than what is left of it, the task fails, saying
        how long it waited and how many answers of 429 it got.
      - V(0) fails at the first answer of 429 and never waits for the budget.
      - If not set, the value of the environment variable E(CONFLUENT_CLOUD_API_RATE_LIMIT_TIMEOUT) is used.
    type: int
    default: 300
    version_added: 0.2.0
"""
