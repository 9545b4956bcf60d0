"""Read what a download view hands out, whether it streams a local file or redirects to a
signed S3 URL (service mode)."""

import urllib.request


def downloaded(client, url) -> tuple[bytes, str]:
    """The file's bytes and its Content-Disposition, as a browser would get them."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("http"):
        with urllib.request.urlopen(response["Location"]) as remote:
            return remote.read(), remote.headers["Content-Disposition"]
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content), response["Content-Disposition"]
